"""``hub generate`` and ``hub graph export|metrics|diff`` through the installed command."""

from __future__ import annotations

import networkx as nx

from tests.cli.test_hub_command import hub


def test_generate_then_export_metrics_and_diff(sqlite_url, tmp_path):
    hub("load-sample", url=sqlite_url)
    generated = hub("generate", "--partnerships", "16", "--organisations", "40", "--meetings", "10",
                    "--exchanges", "20", "--seed", "4", url=sqlite_url)
    assert "synthetic network (seed 4):" in generated.stdout and "organisations: 40/40" in generated.stderr
    again = hub("generate", "--partnerships", "16", "--organisations", "40", "--seed", "4", url=sqlite_url)
    assert "already in the store; nothing added" in again.stdout

    out = tmp_path / "net.gexf"
    exported = hub("graph", "export", "--format", "gexf", "--valid-at", "2021-06-01", "-o", str(out), url=sqlite_url)
    assert exported.stdout.startswith(f"{out}: ")
    G = nx.read_gexf(out)
    assert "Podkarpackie Centrum Mediacji" in {d["label"] for _, d in G.nodes(data=True)}

    graphml = tmp_path / "p.graphml"
    hub("graph", "export", "--format", "graphml", "--view", "partnerships", "-o", str(graphml), url=sqlite_url)
    P = nx.read_graphml(graphml)
    assert P.number_of_nodes() == 17 and all(d["type"] == "partnership" for _, d in P.nodes(data=True))

    metrics = hub("graph", "metrics", "--valid-at", "2021-06-01", url=sqlite_url).stdout
    assert "valid at: 2021-06-01" in metrics and "communities" in metrics and "hubs (top 10 by degree)" in metrics
    assert "isolated: no inter-regional link of these kinds: co_organised, attended, exchange_confirmed" in metrics
    empty = hub("graph", "metrics", "--as-of", "0", url=sqlite_url).stdout
    assert "regions with no partnership: dolnośląskie (02)" in empty
    from datetime import date
    today = hub("graph", "metrics", "--also", "shared_member", url=sqlite_url).stdout
    assert f"valid at: {date.today().isoformat()} (today, as on the dashboard" in today
    assert "exchange_confirmed, shared_member" in today

    changes = hub("graph", "diff", "--from", "4", "--to", "5", url=sqlite_url).stdout  # 5: the signing
    assert "1 nodes added" in changes and "+ node Podkarpackie partnerstwo strategiczne" in changes
    assert changes.count("+ membership") == 3

    bad = hub("graph", "diff", "--axis", "business", "--from", "yesterday", "--to", "2021-01-01", url=sqlite_url, check=False)
    assert bad.returncode == 1 and bad.stderr.startswith("hub: from: on the business axis")
    bad_date = hub("graph", "metrics", "--valid-at", "1.6.2021", url=sqlite_url, check=False)
    assert bad_date.returncode == 2 and "not a date (YYYY-MM-DD)" in bad_date.stderr


def test_graph_commands_start_from_a_servers_saved_read_model_when_it_is_this_logs(sqlite_url, tmp_path):
    from hub.application import HubApplication
    from projections import checkpoint

    hub("load-sample", url=sqlite_url)
    app = HubApplication(sqlite_url)
    path = checkpoint.path_for(sqlite_url, {})
    checkpoint.start(app, path, log=lambda line: None)
    app.close()
    hub("generate", "--partnerships", "3", "--organisations", "6", "--seed", "2", url=sqlite_url)  # on top of it
    replayed = hub("graph", "metrics", url=sqlite_url, HUB_READ_MODEL_FILE="off").stdout
    loaded = hub("graph", "metrics", url=sqlite_url)
    assert loaded.stdout == replayed and loaded.stderr == ""
    path.write_bytes(path.read_bytes()[:-100])  # damaged: said, and the log read instead
    damaged = hub("graph", "metrics", url=sqlite_url)
    assert damaged.stdout == replayed
    assert ("the saved read model is damaged, or was not made with this hub's key (its MAC does not match); "
            "reading the whole log") in damaged.stderr
