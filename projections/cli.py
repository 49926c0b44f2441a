"""``hub graph …``: export the partner graph, print its metrics, compare two moments.

Registered on the ``hub`` command through the ``hub.commands`` entry-point group.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hub import moments
from hub.authorisation import Principal
from hub.cli import argument_type
from hub.errors import HubError, InvalidCommand
from hub.regions import REGIONS
from hub.tables import SHEETS as TABLE_KINDS
from projections.kinds import ALSO_COUNTABLE, FORMATS

if TYPE_CHECKING:
    from projections.graph import PartnerGraph

parse_as_of = argument_type(moments.parse_as_of)
parse_date = argument_type(moments.parse_valid_at)


def load_graph() -> PartnerGraph:
    # The read side is loaded by the commands that use it, not by every ``hub`` run (see projections.kinds).
    from hub.cli import open_app
    from projections import checkpoint
    from projections.follower import Follower

    app = open_app()
    graph = None
    path = checkpoint.path_for(app.database_url)
    if path is not None and path.exists():  # the read model a server saved: used only if it is this log's
        try:
            graph = checkpoint.load(app, path)
        except checkpoint.Refused as why:
            print(f"  {why}; reading the whole log", file=sys.stderr)
    follower = Follower(app, graph=graph)
    total = app.log_length() - follower.graph.position
    if total > 50_000:
        follower.catch_up(progress=lambda done, last: print(f"  reading the log: {done}/{last}",
                                                            file=sys.stderr, flush=True))
    else:
        follower.catch_up()
    return follower.graph


def cmd_export(args: argparse.Namespace) -> int:
    from projections.exports import write
    from projections.graph import partnership_view

    graph = load_graph()
    with graph.lock:
        view = graph.view(args.as_of, args.valid_at)
        G = partnership_view(view) if args.view == "partnerships" else graph.snapshot(args.as_of, args.valid_at)
    try:
        write(G, args.format, args.output)
    except OSError as error:
        raise HubError(f"cannot write {args.output}: {error.strerror}") from None
    print(f"{args.output}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges ({args.format}, {args.view} view)")
    return 0


def cmd_metrics(args: argparse.Namespace) -> int:
    """The network's metrics on one business date: today unless --valid-at (the dashboard's date too)."""
    from projections import analytics

    graph = load_graph()
    valid_at = args.valid_at or date.today()
    with graph.lock:  # measured from the fold in columns, as the API measures it (no networkx graph)
        links = analytics.Links.of_view(graph.view(args.as_of, valid_at))
    m = analytics.metrics_of(links, also=args.also)
    names = {node: str(attrs.get("name", node)) for node, attrs in zip(links.nodes, links.attrs, strict=True)}
    chosen = "" if args.valid_at else " (today, as on the dashboard; --valid-at chooses another day)"
    print(f"as of: {args.as_of or 'now'}   valid at: {valid_at.isoformat()}{chosen}")
    print(f"isolated: no inter-regional link of these kinds: {', '.join(m['isolation_counts'])}")
    for key, value in m["summary"].items():
        shown = f"{value:.3f}" if isinstance(value, float) else f"{value}"
        print(f"  {key.replace('_', ' '):<24} {shown}")
    if links.nodes:
        degree, between = m["degree_centrality"], m["betweenness_centrality"]
        print(f"  communities              {len(set(m['communities'].values()))}")
        print(f"  bridges                  {len(m['bridges'])}")
        print(f"  articulation points      {len(m['articulation_points'])}")
        print(f"\n  {'hubs (top 10 by degree)':<70} {'degree':>8} {'betweenness':>12}")
        for node in sorted(degree, key=lambda n: (-degree[n], names[n]))[:10]:
            print(f"  {names[node][:70]:<70} {degree[node]:>8.3f} {between[node]:>12.3f}")
    uncovered = m["uncovered_regions"]
    if uncovered:
        print("\n  regions with no partnership: " + ", ".join(f"{REGIONS[c]} ({c})" for c in uncovered))
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from projections.diff import diff

    graph = load_graph()
    if args.axis == "record":
        before, after = (graph.snapshot(as_of=parse_as_of(t)) for t in (args.from_, args.to))
    else:
        try:
            before, after = (graph.snapshot(valid_at=date.fromisoformat(t)) for t in (args.from_, args.to))
        except ValueError:
            raise InvalidCommand("on the business axis, --from and --to are dates (YYYY-MM-DD)", "from") from None
    changes = diff(before, after)
    names = {**dict(before.nodes(data="name")), **dict(after.nodes(data="name"))}
    print(f"{args.axis} time {args.from_} → {args.to}: "
          + ", ".join(f"{len(v)} {k.replace('_', ' ')}" for k, v in changes.items()))
    for node in changes["nodes_added"]:
        print(f"  + node {names.get(node) or node}")
    for node in changes["nodes_removed"]:
        print(f"  - node {names.get(node) or node}")
    for change in changes["nodes_changed"]:
        changed = ", ".join(f"{k} {a} → {b}" for k, (a, b) in change["changes"].items())
        print(f"  ~ node {names.get(change['node'])}: {changed}")
    for sign, key in (("+", "edges_added"), ("-", "edges_removed")):
        for e in changes[key]:
            source, target = names.get(e["source"]) or e["source"], names.get(e["target"]) or e["target"]
            print(f"  {sign} {e['kind']} {source} — {target}")
    for e in changes["edges_changed"]:
        print(f"  ~ {e['link'].split(':')[0]} {names.get(e['source'])} — {names.get(e['target'])}: "
              + ", ".join(f"{k} {a} → {b}" for k, (a, b) in e["changes"].items()))
    return 0


def cmd_indicators(args: argparse.Namespace) -> int:
    from projections.indicators import COUNTS, indicators

    rows = indicators(load_graph(), args.start, args.end, by=args.by)
    heads = ["meetings", "attend.", "exch.", "confirmed", "submitted", "included", "cert. inst."]
    print(f"business dates {args.start or 'any'} … {args.end or 'any'}, per {args.by}")
    print(f"  {'':<44}" + "".join(f"{h:>12}" for h in heads))
    for row in rows:
        label = f"{row['name']} ({row['region']})" if args.by == "region" else row["name"]
        print(f"  {label[:44]:<44}" + "".join(f"{row[c]:>12}" for c in COUNTS))
    return 0


def cmd_import_table(args: argparse.Namespace) -> int:
    """Bring records in from a spreadsheet (``hub.tables``): a report per row, all or nothing."""
    from hub import tables
    from hub.cli import open_app
    from projections.catalogue import resolver

    try:
        data = Path(args.file).read_bytes()
    except OSError as error:
        raise HubError(f"cannot read {args.file}: {error.strerror}") from None
    sheets, problems = tables.read_file(data, Path(args.file).name, args.kind)
    if problems:
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        raise HubError(f"{args.file}: {len(problems)} problem(s) in the file; nothing was imported")
    app = open_app()
    graph = load_graph()
    report = tables.import_tables(app, args.actor, sheets, resolver(graph), dry_run=args.dry_run)
    print_report(report, args.verbose or bool(report.problems))
    if report.problems:
        raise HubError(f"{len(report.problems)} problem(s); nothing was imported")
    if args.dry_run:
        print("dry run: nothing was stored; run again without --dry-run to import")
    return 0


def print_report(report: Any, rows: bool) -> None:
    for kind in report.kinds:
        print(f"  {kind:<14} {report.count('create', kind):>6} new  {report.count('change', kind):>6} changed"
              f"  {report.count('unchanged', kind):>6} already recorded")
    if rows:
        for o in report.outcomes:
            if o.action != "unchanged":
                what = f" ({', '.join(o.changes)})" if o.changes else ""
                print(f"    {o.kind} row {o.row}: {o.action} {o.name}{what}")
    for note in report.notes:
        print(f"  note: {note}")
    for problem in report.problems:
        print(f"  {problem}", file=sys.stderr)
    print(report.summary())


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "import-table", help="bring records in from a spreadsheet (CSV or XLSX): all or nothing",
        description="Read organisations, projects, partnerships, meetings and exchanges from an XLSX workbook "
        "(one sheet per kind, named by kind) or a CSV file (one kind, named by --kind or the file name). "
        "Columns are named as the API's fields; a reference takes a whole name or an id. Every row is checked "
        "first; if any is refused, nothing is stored. The same file imported twice adds nothing.")
    p.add_argument("file", help="the .xlsx or .csv file")
    p.add_argument("--kind", choices=list(TABLE_KINDS),
                   help="the kind of record in a CSV file (default: from its name, e.g. organisations.csv)")
    p.add_argument("--dry-run", action="store_true", help="check every row and say what would change; store nothing")
    p.add_argument("--verbose", "-v", action="store_true", help="list every row that is created or changed")
    p.add_argument("--actor", type=argument_type(Principal.operator), default="import-table",
                   help="who is recorded as acting (default: import-table)")
    p.set_defaults(handler=cmd_import_table)

    graph = subparsers.add_parser("graph", help="the partner graph: export, metrics, diff")
    sub = graph.add_subparsers(dest="graph_command", metavar="SUBCOMMAND", required=True)

    def moments(p: argparse.ArgumentParser) -> None:
        p.add_argument("--as-of", type=parse_as_of, default=None,
                       help="record time: a log position or an ISO time (as the hub knew it then)")
        p.add_argument("--valid-at", type=parse_date, default=None,
                       help="business date YYYY-MM-DD (what held in the world then)")

    p = sub.add_parser("export", help="write the graph as json, graphml or gexf")
    p.add_argument("--format", choices=FORMATS, default="graphml",
                   help="graphml (default; Gephi, yEd), gexf (Gephi, with business dates for its timeline) or json "
                        "(networkx node-link)")
    p.add_argument("--view", choices=("partnerships", "full"), default="full",
                   help="full: organisations, partnerships, projects and every link (default); partnerships: "
                        "partnerships only, linked by shared members and cooperation")
    p.add_argument("-o", "--output", required=True, help="the file to write")
    moments(p)
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("metrics", help="print the network's metrics as a table")
    moments(p)
    p.add_argument("--also", action="append", default=[], choices=ALSO_COUNTABLE,
                   help="count these links as cooperation too when finding isolated partnerships (repeatable)")
    p.set_defaults(handler=cmd_metrics)

    p = sub.add_parser("indicators", help="meetings, exchanges, qualifications per region or partnership")
    p.add_argument("--from", dest="start", type=parse_date, default=None,
                   help="first business date counted, YYYY-MM-DD (default: from the beginning)")
    p.add_argument("--to", dest="end", type=parse_date, default=None,
                   help="last business date counted, YYYY-MM-DD (default: up to the end)")
    p.add_argument("--by", choices=("region", "partnership"), default="region",
                   help="one row per voivodeship (default) or per partnership")
    p.set_defaults(handler=cmd_indicators)

    p = sub.add_parser("diff", help="what changed between two moments")
    p.add_argument("--from", dest="from_", required=True,
                   help="the earlier moment: a log position or ISO time (--axis record) or a date (--axis business)")
    p.add_argument("--to", required=True, help="the later moment, on the same axis")
    p.add_argument("--axis", choices=("record", "business"), default="record",
                   help="record: log positions or ISO times; business: dates")
    p.set_defaults(handler=cmd_diff)
