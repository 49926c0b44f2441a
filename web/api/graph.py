"""The partner graph over HTTP: node-link JSON, GraphML, GEXF, metrics, paths and diffs."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import networkx as nx
from flask import Response
from flask_smorest import Blueprint

from hub.errors import InvalidCommand, NotFound
from hub.log import json_bytes, plain
from hub.moments import parse_as_of, parse_valid_at
from hub.regions import REGIONS
from hub.tables import write_csv, write_xlsx
from projections import analytics, trends
from projections.diff import diff
from projections.exports import frames, full_view_json, partnership_view_json, write
from projections.graph import materialise, partnership_view
from projections.indicators import COUNTS, indicators
from projections.layout import graph_positions, positions_json
from projections.regional import regions_at
from web import answers, schemas
from web.context import read_models

blp = Blueprint("graph", __name__, url_prefix="/api",
                description="The partner graph, as known at any record time and valid at any business date.")


def _as_of(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return parse_as_of(text)
    except ValueError as error:
        raise InvalidCommand(str(error), "as_of") from None


def _key(kind: str, args: dict[str, Any]) -> tuple[Any, ...]:
    return (kind, *sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in args.items()))


def _days(args: dict[str, Any]) -> tuple[date, date] | None:
    """The business days an answer to ``args`` is about: the day it is valid at (None: every day)."""
    day: date | None = args.get("valid_at")
    return None if day is None else (day, day)


def _graph(args: dict[str, Any]) -> nx.Graph:
    """The graph the arguments ask for, computed once per version of the network (``PartnerGraph.memo``).

    Kept only until the network changes, never across writes: a graph takes tens of megabytes, and the
    answers made from it (JSON, metrics) are what is kept for a settled moment or a business day.
    """
    as_of = _as_of(args.get("as_of"))  # a bad moment is the client's error, before anything is computed
    return read_models().memo(_key("graph", args), lambda: _compute_graph(args, as_of))


def _filters(args: dict[str, Any]) -> dict[str, Any]:
    """The view's filters among the arguments (both time axes apart)."""
    return {"region": args.get("region"), "scope": args.get("scope"), "area": args.get("area"),
            "kinds": args.get("kind") or None}


def _view(args: dict[str, Any], as_of: Any, folded: bool) -> nx.MultiGraph:
    """The live graph's view the arguments ask for (both time axes, the filters); to be read under its lock."""
    return read_models().view(as_of, args.get("valid_at"), folded=folded, **_filters(args))


def _compute_graph(args: dict[str, Any], as_of: Any) -> nx.Graph:
    """A private copy, made under the lock; what is computed from it is not."""
    graph = read_models()

    def compute() -> nx.Graph:
        folded = args.get("view") == "partnerships"
        view = _view(args, as_of, folded)
        if folded:  # without the links' reasons when the request asks so (``reasons=false``)
            return partnership_view(view, kinds=args.get("kind") or None, reasons=args.get("reasons", True))
        return materialise(view)

    return graph.locked(compute)


def _links(args: dict[str, Any]) -> analytics.Links:
    """The partnership view the arguments ask for, as the measures read it: folded in columns, no graph made."""
    as_of = _as_of(args.get("as_of"))
    links: analytics.Links = read_models().locked(
        lambda: analytics.Links.of_view(_view(args, as_of, folded=True), args.get("kind") or None))
    return links


def _node_link_json(args: dict[str, Any], as_of: Any) -> bytes:
    """The answer's text, either view's written straight from the history in columns, without a graph in between."""
    if args.get("view") != "partnerships":
        return full_view_json(read_models(), as_of, args.get("valid_at"), **_filters(args))
    return partnership_view_json(read_models(), as_of, args.get("valid_at"), reasons=args.get("reasons", True),
                                 columns=args.get("format") == "columns", **_filters(args))


@blp.route("/graph", methods=["GET"], endpoint="node_link")
@blp.arguments(schemas.GraphAnswerArgs, location="query")
@blp.response(200, schemas.GraphJSON)
def graph_json(args: dict[str, Any]) -> Response:
    """Node-link JSON (``view=full`` or ``partnerships``), filtered and time-travelled.

    Answers carry an ETag (a client that has this version gets 304) and are gzipped for clients
    that accept it (see ``web.answers``). ``reasons=false`` leaves out the partnership view's reasons (the graph
    page asks so for any moment or filter, and asks ``/api/graph/link`` for the link tapped); ``format=columns``
    gives those links in columns, indexing the nodes, in a fifth of the text."""
    if args.get("reasons") is False and args["view"] != "partnerships":
        raise InvalidCommand("only the partnership view's links have reasons to leave out (view=partnerships)",
                             "reasons")
    if args["format"] == "columns" and (args["view"] != "partnerships" or args.get("reasons") is True):
        raise InvalidCommand("only the partnership view's links without reasons come in columns "
                             "(view=partnerships&reasons=false)", "format")
    if args.get("reasons") is True:
        del args["reasons"]  # the default: one question, one answer (and the current one below)
    if args["format"] == "node-link":
        del args["format"]
    key = _key("node_link", args)
    if args.keys() == {"view"}:  # the network as known now, unfiltered: kept up to date change by change
        return answers.deflated_answer(key, lambda: read_models().current_answer(args["view"]))
    as_of = _as_of(args.get("as_of"))
    return answers.json_answer(key, lambda: read_models().memo(
        key, lambda: _node_link_json(args, as_of), as_of=as_of, days=_days(args)), as_of=as_of)


@blp.route("/graph/link", methods=["GET"], endpoint="link")
@blp.arguments(schemas.LinkArgs, location="query")
@blp.response(200, schemas.GraphLink)
def graph_link(args: dict[str, Any]) -> dict[str, Any]:
    """Why two partnerships are linked in the partnership view, at a moment and filtered as ``/api/graph`` takes
    them: the link's reasons, kinds and weight (404 when the view does not link them).

    Folded from what is around the two only, so it costs a few milliseconds where the whole view as of a moment
    takes ~100 ms at 1,000 partnerships: the graph page asks for it when a link is tapped.
    """
    as_of = _as_of(args.get("as_of"))
    found = read_models().link(args["source"], args["target"], as_of, args.get("valid_at"), **_filters(args))
    if found is None:
        raise NotFound("the partnership view links no such two partnerships at this moment", "target")
    return found


def _file(args: dict[str, Any], fmt: str, mimetype: str) -> Response:
    buffer = io.BytesIO()
    write(_graph(args), fmt, buffer, positions=graph_positions(read_models()))
    return Response(buffer.getvalue(), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="partner-graph.{fmt}"'})


@blp.route("/graph.graphml", methods=["GET"], endpoint="graphml")
@blp.arguments(schemas.GraphArgs, location="query")
@blp.response(200, content_type="application/graphml+xml")
def graph_graphml(args: dict[str, Any]) -> Response:
    """GraphML for Gephi, yEd or networkx."""
    return _file(args, "graphml", "application/graphml+xml")


@blp.route("/graph.gexf", methods=["GET"], endpoint="gexf")
@blp.arguments(schemas.GraphArgs, location="query")
@blp.response(200, content_type="application/gexf+xml")
def graph_gexf(args: dict[str, Any]) -> Response:
    """GEXF with business dates as start/end, for Gephi's timeline."""
    return _file(args, "gexf", "application/gexf+xml")


@blp.route("/graph/positions", methods=["GET"], endpoint="positions")
@blp.response(200)
def graph_positions_json() -> Response:
    """Where each node is drawn (every node ever recorded) and the centre of each region's cluster.

    Positions never move when records are added (``projections.layout``): a client loads them once
    and shows or hides nodes as filters and time change. Like the graph's answers, the text is made
    once per version of the network and carries an ETag and gzip (``web.answers``): it is on the graph
    page's first paint. At 1,000 partnerships it was 300 KB serialised again for each page (38–200 ms
    to arrive on a warm server, measured in the page); now 159 KB gzipped, and a page loaded again gets
    a 304.
    """
    return answers.json_answer(("positions",), lambda: positions_json(read_models()))


@blp.route("/graph/metrics", methods=["GET"], endpoint="metrics")
@blp.arguments(schemas.MetricsArgs, location="query")
@blp.response(200)
def graph_metrics(args: dict[str, Any]) -> dict[str, Any]:
    """Summary, centralities, communities, bridges, articulation points, isolated partnerships, uncovered regions.

    Betweenness is the slowest (at 2,000 partnerships and 273,972 links 1.7 s, measured again after each write that
    adds a link): ``betweenness=false`` leaves it out, as the graph page does unless it sizes nodes by it.

    A partnership is isolated when it has no inter-regional cooperation link: a joint meeting or a
    confirmed exchange; ``isolation_also`` counts shared members, unconfirmed exchanges or a shared
    project as well.
    """
    also = args.pop("isolation_also", None) or []
    betweenness = args.pop("betweenness", True)
    answer = read_models().memo(  # kept until the network changes: the whole view's measures take seconds
        _key("metrics", {**args, "isolation_also": also, "betweenness": betweenness}),
        lambda: analytics.metrics_of(_links(args), also, betweenness=betweenness),
        as_of=_as_of(args.get("as_of")),
        days=_days(args))
    return {"valid_at": args.get("valid_at"), **answer}


@blp.route("/map", methods=["GET"], endpoint="map")
@blp.arguments(schemas.MapArgs, location="query")
@blp.response(200)
def regions_map(args: dict[str, Any]) -> dict[str, Any]:
    """Per voivodeship: partnerships (active on ``valid_at``), meetings held, exchanges and cooperation links
    with other regions; and the links between regions (joint meetings and confirmed exchanges)."""
    answer = regions_at(read_models(), _as_of(args.get("as_of")), args.get("valid_at"))
    return {"as_of": args.get("as_of"), "valid_at": args.get("valid_at"), **answer}


@blp.route("/graph/path", methods=["GET"], endpoint="path")
@blp.arguments(schemas.PathArgs, location="query")
@blp.response(200)
def graph_path(args: dict[str, Any]) -> dict[str, Any]:
    """The shortest chain of links between two ends, each an organisation, a partnership (ids) or a region (code).

    Between partnerships and regions the chain runs through the partnership view (its links say why);
    with an organisation at either end it runs through the full graph, where organisations meet
    through meetings, partnerships and exchanges.
    """
    source, target = args["from_"], args["to"]
    try:
        hops = analytics.chain(_graph({**args, "view": "full"}), lambda: _graph({**args, "view": "partnerships"}),
                               source, target, REGIONS)
    except analytics.UnknownEnd as unknown:
        raise InvalidCommand(str(unknown), unknown.end) from None
    return {"from": source, "to": target, "connected": hops is not None, "hops": hops or []}


@blp.route("/indicators", methods=["GET"], endpoint="indicators")
@blp.arguments(schemas.IndicatorArgs, location="query")
@blp.response(200)
def graph_indicators(args: dict[str, Any]) -> dict[str, Any]:
    """Counts per region or partnership over a business-date range: meetings held, exchanges,
    qualifications submitted and included, certifying institutions authorised."""
    rows = indicators(read_models(), args.get("from_"), args.get("to"), by=args["by"])
    return {"from": args.get("from_"), "to": args.get("to"), "by": args["by"], "rows": rows}


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _indicator_table(args: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    rows = indicators(read_models(), args.get("from_"), args.get("to"), by=args["by"])
    columns = [args["by"], "name", *COUNTS]
    return columns, [[row[c] for c in columns] for row in rows]


def _indicator_file(args: dict[str, Any], extension: str) -> str:
    span = "-".join(str(args[k]) for k in ("from_", "to") if args.get(k))
    return f"indicators-by-{args['by']}{'-' + span if span else ''}.{extension}"


@blp.route("/indicators.csv", methods=["GET"], endpoint="indicators_csv")
@blp.arguments(schemas.IndicatorArgs, location="query")
@blp.response(200, content_type="text/csv")
def graph_indicators_csv(args: dict[str, Any]) -> Response:
    """The same as ``/api/indicators`` with the same filters, one row per region or partnership, as CSV
    (UTF-8 with a BOM for spreadsheet programs, header row)."""
    columns, rows = _indicator_table(args)
    return Response(write_csv(columns, rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{_indicator_file(args, "csv")}"'})


@blp.route("/indicators.xlsx", methods=["GET"], endpoint="indicators_xlsx")
@blp.arguments(schemas.IndicatorArgs, location="query")
@blp.response(200, content_type=XLSX)
def graph_indicators_xlsx(args: dict[str, Any]) -> Response:
    """The same as ``/api/indicators`` with the same filters, as an XLSX workbook (one sheet)."""
    columns, rows = _indicator_table(args)
    return Response(write_xlsx({"indicators": (columns, rows)}), mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{_indicator_file(args, "xlsx")}"'})


MAX_FRAMES = 120  # ten years by month


@blp.route("/graph/frames", methods=["GET"], endpoint="frames")
@blp.arguments(schemas.FramesArgs, location="query")
@blp.response(200)
def graph_frames(args: dict[str, Any]) -> Response:
    """The graph valid at each step from ``from`` to ``to`` (by month, quarter or year), for playing
    business time in the browser: every node and link that appears at any step once, and per step
    the indexes of those shown. Each step is exactly ``GET /api/graph?valid_at=<day>`` (same filters)."""
    if args["from_"] > args["to"]:
        raise InvalidCommand("from is after to", "from")
    days = trends.steps(args["from_"], args["to"], args["step"])
    if len(days) > MAX_FRAMES:
        raise InvalidCommand(f"at most {MAX_FRAMES} steps; choose a longer step or a shorter span", "step")
    base = {k: v for k, v in args.items() if k not in ("from_", "to", "step", "valid_at")}
    as_of = _as_of(args.get("as_of"))

    def produce() -> bytes:
        # Not memoised step by step: up to 120 graphs would push every other answer out of the memo.
        answer = frames([(day, _compute_graph({**base, "valid_at": day}, as_of)) for day in days])
        return json_bytes(answer)

    key = _key("frames", args)
    return answers.json_answer(key, lambda: read_models().memo(key, produce, as_of=as_of, days=(days[0], days[-1])),
                               as_of=as_of)


def _trend(args: dict[str, Any]) -> list[dict[str, Any]]:
    if args.get("from_") and args.get("to") and args["from_"] > args["to"]:
        raise InvalidCommand("from is after to", "from")
    graph = read_models()
    as_of = _as_of(args.get("as_of"))
    today = date.today()
    return graph.memo(_key("trend", {**args, "today": today}),  # type: ignore[no-any-return]
                      lambda: trends.trend(graph, today, as_of, args.get("from_"), args.get("to")), as_of=as_of)


@blp.route("/trends", methods=["GET"], endpoint="trends")
@blp.arguments(schemas.TrendArgs, location="query")
@blp.response(200)
def network_trends(args: dict[str, Any]) -> dict[str, Any]:
    """The network quarter by quarter, each point valid at the quarter's end (or today): active
    partnerships, inter-regional cooperation links, meetings held and exchanges confirmed in the
    quarter, isolated partnerships, regions covered — as known ``as_of`` (now by default)."""
    answer: dict[str, Any] = plain({"as_of": args.get("as_of"), "columns": list(trends.COLUMNS),
                                    "quarters": _trend(args)})
    return answer


@blp.route("/trends.csv", methods=["GET"], endpoint="trends_csv")
@blp.arguments(schemas.TrendArgs, location="query")
@blp.response(200, content_type="text/csv")
def network_trends_csv(args: dict[str, Any]) -> Response:
    """The same as ``/api/trends``, one row per quarter, as CSV (UTF-8, header row)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=trends.COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_trend(args))
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="network-trends.csv"'})


@blp.route("/graph/diff", methods=["GET"], endpoint="diff")
@blp.arguments(schemas.DiffArgs, location="query")
@blp.response(200)
def graph_diff(args: dict[str, Any]) -> dict[str, Any]:
    """Nodes and edges added, removed and changed between two moments on one axis."""
    graph = read_models()
    try:
        if args["axis"] == "record":
            before, after = (graph.snapshot(as_of=parse_as_of(args[k])) for k in ("from_", "to"))
        else:
            before, after = (graph.snapshot(valid_at=parse_valid_at(args[k])) for k in ("from_", "to"))
    except ValueError as error:
        raise InvalidCommand(str(error), "from") from None
    answer: dict[str, Any] = plain({"axis": args["axis"], "from": args["from_"], "to": args["to"],
                                    **diff(before, after)})
    return answer

