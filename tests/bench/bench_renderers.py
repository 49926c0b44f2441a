"""Cytoscape.js (canvas, what the graph page uses) against sigma.js 4 + graphology (WebGL), on the same data.

Headless Debian chromium (WebGL 2 through SwiftShader), 1,000 synthetic partnerships and 3,000
organisations served by ``hub serve``. Each renderer gets exactly what the graph page would draw —
the API's answer (partnership view, and the full view with organisations and meetings) at the
server's fixed positions — once with every link and once "overview first" (each node's three
strongest links, as the page draws a dense network). Printed, never asserted:

- first paint: from handing over the data to two animation frames after the renderer drew it;
- a filter change: hiding everything outside one region (and its links), to two frames later;
- a frame while zooming: 20 zoom steps, each to the next frame, median.

Labels are off in both (the page draws its own overlap-free labels). Run: ``make bench-ui``.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from tests.bench.bench_ui import browser_on_a_network
from tests.browser.conftest import sign_in

ROOT = Path(__file__).resolve().parents[2]
CYTOSCAPE = ROOT / "web/static/vendor/cytoscape/cytoscape.min.js"
GRAPHOLOGY = ROOT / "tests/browser/vendor/graphology/graphology.umd.min.js"
SIGMA = ROOT / "tests/browser/vendor/sigma/sigma.min.js"
ROUNDS = 3

HARNESS = r"""
window.frames2 = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
window.prepare = (data, positions, overview) => {
  const nodes = data.nodes.filter(n => positions[n.id]);
  const shown = new Set(nodes.map(n => n.id));
  let edges = data.edges.filter(e => shown.has(e.source) && shown.has(e.target));
  if (overview) {  // each node's three strongest links
    const keep = new Set(), by = new Map();
    edges.forEach((e, i) => { for (const end of [e.source, e.target]) { if (!by.has(end)) by.set(end, []); by.get(end).push(i); } });
    for (const list of by.values()) list.sort((a, b) => (edges[b].weight || 1) - (edges[a].weight || 1)).slice(0, 3).forEach(i => keep.add(i));
    edges = edges.filter((e, i) => keep.has(i));
  }
  return { nodes, edges, positions };
};
window.renderers = {
  cytoscape: {
    async draw(d, box) {
      const els = d.nodes.map(n => ({ group: "nodes", data: { id: n.id, region: n.region || "" },
                                      position: { x: d.positions[n.id][0], y: d.positions[n.id][1] } }));
      d.edges.forEach((e, i) => els.push({ group: "edges", data: { id: "e" + i, source: e.source, target: e.target } }));
      this.cy = cytoscape({ container: box, elements: els, layout: { name: "preset" }, style: [
        { selector: "node", style: { width: 6, height: 6, "background-color": "#1f77b4" } },
        { selector: "edge", style: { width: 0.5, "line-color": "#999", opacity: 0.5 } }] });
      this.cy.fit();
      await frames2();
    },
    async filter(region) {
      this.cy.batch(() => this.cy.nodes().forEach(n => n.style("display", !region || n.data("region") === region ? "element" : "none")));
      await frames2();
    },
    async zoom(factor) { this.cy.zoom({ level: this.cy.zoom() * factor, renderedPosition: { x: 600, y: 450 } }); await frames2(); },
    destroy() { this.cy.destroy(); },
  },
  sigma: {
    async draw(d, box) {
      const Graph = graphology.Graph || graphology;
      const g = new Graph({ multi: false, type: "undirected", allowSelfLoops: false });
      d.nodes.forEach(n => g.addNode(n.id, { x: d.positions[n.id][0], y: -d.positions[n.id][1], size: 3,
                                              color: "#1f77b4", region: n.region || "" }));
      d.edges.forEach(e => { if (!g.hasEdge(e.source, e.target)) g.addEdge(e.source, e.target, { size: 0.5, color: "#bbb" }); });
      const S = Sigma.Sigma || Sigma.default || Sigma;
      this.g = g;
      this.s = new S(g, box, { renderLabels: false, hideEdgesOnMove: false });
      await frames2();
    },
    async filter(region) {
      this.g.updateEachNodeAttributes((id, a) => ({ ...a, hidden: !!region && a.region !== region }));
      await frames2();
    },
    async zoom(factor) { const c = this.s.getCamera(); c.setState({ ratio: c.getState().ratio / factor }); await frames2(); },
    destroy() { this.s.kill(); },
  },
};
window.measure = async (name, data, positions, overview) => {
  const box = document.getElementById("box");
  const d = prepare(data, positions, overview);
  const r = renderers[name];
  let t = performance.now();
  await r.draw(d, box);
  const paint = performance.now() - t;
  const filters = [];
  for (const region of ["18", "", "14", ""]) { t = performance.now(); await r.filter(region); filters.push(performance.now() - t); }
  const frames = [];
  for (let i = 0; i < 20; i++) { t = performance.now(); await r.zoom(i < 10 ? 1.15 : 1 / 1.15); frames.push(performance.now() - t); }
  r.destroy();
  return { paint, filters, frames, nodes: d.nodes.length, edges: d.edges.length };
};
"""


def main() -> None:
    print("Graph renderers in headless chromium, 1,000 partnerships and 3,000 organisations (the page's data)")
    with browser_on_a_network() as (site, browser):
        page = browser.new_context(viewport={"width": 1200, "height": 900}, locale="pl-PL", bypass_csp=True).new_page()
        sign_in(page, site, "manager")
        fetch = "url => fetch(url, {credentials: 'same-origin'}).then(r => r.json())"
        positions = page.evaluate(fetch, "/api/graph/positions")["positions"]
        views = {"partnership view": page.evaluate(fetch, "/api/graph?view=partnerships"),
                 "full view": page.evaluate(fetch, "/api/graph")}
        page.set_content('<!doctype html><div id="box" style="width:1200px;height:900px"></div>')
        for script in (CYTOSCAPE, GRAPHOLOGY, SIGMA):
            page.add_script_tag(path=str(script))
        page.add_script_tag(content=HARNESS)
        webgl = page.evaluate("!!document.createElement('canvas').getContext('webgl2')")
        print(f"  WebGL 2 available: {webgl}; positions for {len(positions):,} nodes")
        print(f"  {'data':<40} {'renderer':<10} {'nodes':>6} {'links':>7} {'first paint':>12} "
              f"{'filter':>9} {'zoom frame':>11}")
        for label, data in views.items():
            for overview in (False, True):
                for name in ("cytoscape", "sigma"):
                    runs = [page.evaluate("([n, d, p, o]) => measure(n, d, p, o)",
                                          [name, data, positions, overview])
                            for _ in range(ROUNDS)]
                    paint = statistics.median(r["paint"] for r in runs)
                    filt = statistics.median(f for r in runs for f in r["filters"])
                    frame = statistics.median(f for r in runs for f in r["frames"])
                    shown = f"{label}, {'3 strongest per node' if overview else 'every link'}"
                    print(f"  {shown:<40} {name:<10} {runs[0]['nodes']:>6,} {runs[0]['edges']:>7,} "
                          f"{paint:>9.0f} ms {filt:>6.0f} ms {frame:>8.1f} ms")


if __name__ == "__main__":
    main()
