/* The interactive partner graph: Cytoscape.js over /api/graph (same filters and time axes as the API). */
(function () {
  "use strict";
  const cfg = JSON.parse(document.getElementById("graph-config").textContent);
  const T = cfg.texts;
  const $ = (id) => document.getElementById(id);
  const container = $("cy");
  const form = $("controls");
  const status = $("status");
  const details = $("details");
  const FIRST_DAY = new Date("2018-01-01T00:00:00Z");
  const DAY = 86400000;
  const COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666",
                   "#1f78b4", "#b2df8a", "#fb9a99", "#cab2d6", "#6a3d9a", "#b15928", "#8dd3c7", "#bc80bd"];
  const REGIONS = ["02", "04", "06", "08", "10", "12", "14", "16", "18", "20", "22", "24", "26", "28", "30", "32"];
  const fold = (s) => (s || "").toLowerCase().replace(/ł/g, "l").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  const isoDay = (d) => d.toISOString().slice(0, 10);
  let communities = {};
  let lastData = null;

  const cy = cytoscape({
    container: container,
    wheelSensitivity: 0.3,
    hideEdgesOnViewport: true,
    textureOnViewport: true,
    minZoom: 0.05,
    maxZoom: 4,
    style: [
      { selector: "node", style: { "label": "data(label)", "font-size": 9, "min-zoomed-font-size": 8, "text-wrap": "ellipsis", "text-max-width": 120,
        "background-color": "data(colour)", "width": "data(size)", "height": "data(size)", "color": "#222" } },
      { selector: "node[type = 'organisation']", style: { "shape": "round-rectangle" } },
      { selector: "node[type = 'meeting']", style: { "shape": "diamond", "background-color": "#57c" } },
      { selector: "edge", style: { "width": 1.2, "line-color": "#9aa", "curve-style": "haystack", "opacity": 0.7 } },
      { selector: "edge.exchange_confirmed", style: { "line-color": "#2a7", "width": 2.5 } },
      { selector: "edge.exchange_unconfirmed", style: { "line-color": "#e80", "line-style": "dashed", "width": 2 } },
      { selector: "edge.co_organised, edge.organised, edge.attended", style: { "line-color": "#57c" } },
      { selector: ".match", style: { "border-width": 4, "border-color": "#000" } },
      { selector: ".path", style: { "line-color": "#c00", "width": 5, "border-width": 4, "border-color": "#c00", "opacity": 1 } },
      { selector: ".added", style: { "border-width": 4, "border-color": "#0a0", "line-color": "#0a0", "width": 4 } },
      { selector: ".removed", style: { "border-width": 4, "border-color": "#c00", "line-color": "#c00", "line-style": "dotted", "opacity": 0.6 } },
      { selector: ":selected", style: { "border-width": 5, "border-color": "#fc0" } },
    ],
  });
  window.hubGraph = cy;

  function dayFromSlider() {
    return isoDay(new Date(FIRST_DAY.getTime() + Number($("valid-at").value) * DAY));
  }

  function params(overrides) {
    const p = new URLSearchParams();
    const data = new FormData(form);
    p.set("view", data.get("view"));
    if (data.get("region")) p.set("region", data.get("region"));
    if (data.get("area")) p.set("area", data.get("area"));
    let kinds = data.getAll("kind");
    if ($("confirmed-only").checked) kinds = kinds.filter((k) => k !== "exchange_unconfirmed");
    if (kinds.length < 5) kinds.forEach((k) => p.append("kind", k));
    if ($("use-valid-at").checked) p.set("valid_at", dayFromSlider());
    if (Number($("as-of").value) < Number($("as-of").max)) p.set("as_of", $("as-of").value);
    Object.entries(overrides || {}).forEach(([k, v]) => (v === null ? p.delete(k) : p.set(k, v)));
    return p;
  }

  function colourOf(node) {
    if ($("colour").value === "community" && node.id in communities) return COLOURS[communities[node.id] % COLOURS.length];
    const i = REGIONS.indexOf(node.region);
    return i >= 0 ? COLOURS[i] : "#999";
  }

  function elements(data, mark) {
    const nodes = data.nodes.map((n) => ({ group: "nodes", classes: mark || "",
      data: { id: n.id, label: n.name || n.id, name: n.name || "", type: n.type, region: n.region,
              regions: n.regions || [], colour: colourOf(n), size: n.type === "meeting" ? 12 : 18,
              held_on: n.held_on || "", ends_on: n.ends_on || "" } }));
    const edges = data.edges.map((e, i) => {
      const kind = e.kind || (e.kinds || [])[0] || "link";
      return { group: "edges", classes: [kind].concat(e.kinds || []).concat(mark ? [mark] : []).join(" "),
        data: { id: `${e.source}|${e.target}|${e.key || kind}|${mark ? mark : i}`, source: e.source, target: e.target,
                kind: kind, kinds: e.kinds || [kind], label: e.label || "", reasons: e.reasons || [],
                record: e.record || "", role: e.role || "" } };
    });
    return nodes.concat(edges);
  }

  function draw(els) {
    cy.batch(() => {
      cy.elements().remove();
      cy.add(els);
      const max = Math.max(1, ...cy.nodes().map((n) => n.degree()));
      cy.nodes().forEach((n) => n.data("size", 10 + 24 * Math.sqrt(n.degree() / max)));
    });
    const big = cy.nodes().length > 300;
    cy.layout(big ? { name: "concentric", concentric: (n) => n.degree(), levelWidth: () => 4, animate: false }
                  : { name: "cose", animate: false, randomize: true, numIter: 1000, nodeRepulsion: () => 12000,
                      idealEdgeLength: () => 90, nodeOverlap: 20, gravity: 0.5 }).run();
    status.textContent = `${cy.nodes().length} ${T.nodes}, ${cy.edges().length} ${T.links}`;
    const names = $("names");
    names.replaceChildren(...cy.nodes("[type = 'partnership']").map((n) => {
      const o = document.createElement("option");
      o.value = n.data("name");
      return o;
    }));
    container.dataset.loads = String(Number(container.dataset.loads) + 1);
  }

  async function fetchJSON(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } });
    if (!response.ok) throw new Error((await response.json()).detail || response.statusText);
    return response.json();
  }

  async function load() {
    status.textContent = T.loading;
    const p = params();
    try {
      if ($("colour").value === "community") {
        const m = await fetchJSON("/api/graph/metrics?" + params({ view: null }));
        communities = m.communities || {};
      }
      lastData = await fetchJSON("/api/graph?" + p);
      draw(elements(lastData));
    } catch (error) {
      status.textContent = String(error.message || error);
    }
    $("dl-graphml").href = "/api/graph.graphml?" + p;
    $("dl-gexf").href = "/api/graph.gexf?" + p;
  }

  function show(html) {
    details.innerHTML = "";
    details.append(...html);
  }

  function el(tag, text, attrs) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    return e;
  }

  cy.on("tap", "node", (evt) => {
    const d = evt.target.data();
    if (d.type === "meeting") {  // meetings have no page of their own: they are listed on their organisers'
      show([el("h2", d.name), el("p", `${d.type} · ${d.held_on || ""}${d.ends_on ? " – " + d.ends_on : ""}`)]);
      return;
    }
    const page = d.type === "partnership" ? `/partnerships/${d.id}` : `/organisations/${d.id}`;
    show([el("h2", d.name), el("p", `${d.type} · ${(d.regions || []).join(", ")}`),
          el("a", T.open, { href: page })]);
  });
  cy.on("tap", "edge", (evt) => {
    const d = evt.target.data();
    const list = el("ul");
    (d.reasons.length ? d.reasons : [{ kind: d.kind, label: d.label || d.role, via: d.record }]).forEach((r) => {
      const li = el("li", `${r.kind}: ${r.label || ""}`);
      if (r.via) li.append(" ", el("a", T.history, { href: `/audit/${r.via}` }));
      list.append(li);
    });
    show([el("h2", T.reasons), list]);
  });

  $("search").addEventListener("input", (evt) => {
    const q = fold(evt.target.value.trim());
    cy.nodes().removeClass("match");
    if (!q) return;
    const hits = cy.nodes().filter((n) => fold(n.data("name")).includes(q));
    hits.addClass("match");
    if (hits.length) cy.animate({ fit: { eles: hits, padding: 60 } }, { duration: 300 });
  });

  $("path").addEventListener("click", async () => {
    const byName = (name) => cy.nodes().filter((n) => n.data("name") === name)[0];
    const a = byName($("path-from").value), b = byName($("path-to").value);
    cy.elements().removeClass("path");
    if (!a || !b) return;
    const p = params({ view: null });
    p.set("from", a.id());
    p.set("to", b.id());
    const result = await fetchJSON("/api/graph/path?" + p);
    if (!result.connected) { status.textContent = T.noPath; return; }
    result.hops.forEach((h) => {
      cy.getElementById(h.from).addClass("path");
      cy.getElementById(h.to).addClass("path");
      cy.edges().filter((e) => (e.data("source") === h.from && e.data("target") === h.to) ||
                               (e.data("source") === h.to && e.data("target") === h.from)).addClass("path");
    });
  });

  $("compare").addEventListener("click", async () => {
    const from = $("compare-from").value, to = $("compare-to").value;
    if (!from || !to) return;
    const [before, after] = await Promise.all([fetchJSON("/api/graph?" + params({ valid_at: from })),
                                               fetchJSON("/api/graph?" + params({ valid_at: to }))]);
    const key = (e) => `${e.source}|${e.target}|${e.key || e.kind || (e.kinds || []).join()}`;
    const beforeNodes = new Set(before.nodes.map((n) => n.id)), afterNodes = new Set(after.nodes.map((n) => n.id));
    const beforeEdges = new Set(before.edges.map(key)), afterEdges = new Set(after.edges.map(key));
    const union = { nodes: after.nodes.slice(), edges: [] };
    before.nodes.forEach((n) => { if (!afterNodes.has(n.id)) union.nodes.push(n); });
    const els = [];
    union.nodes.forEach((n) => {
      const mark = !beforeNodes.has(n.id) ? "added" : !afterNodes.has(n.id) ? "removed" : "";
      els.push(...elements({ nodes: [n], edges: [] }, mark));
    });
    after.edges.forEach((e) => els.push(...elements({ nodes: [], edges: [e] }, beforeEdges.has(key(e)) ? "" : "added").slice(0)));
    before.edges.forEach((e) => { if (!afterEdges.has(key(e))) els.push(...elements({ nodes: [], edges: [e] }, "removed")); });
    draw(els);
    status.textContent += ` · ${cy.elements(".added").length} ${T.added}, ${cy.elements(".removed").length} ${T.removed}`;
  });
  $("compare-off").addEventListener("click", load);

  $("dl-png").addEventListener("click", (evt) => {
    evt.currentTarget.href = cy.png({ full: true, bg: "#ffffff", scale: 2 });
  });

  const validAt = $("valid-at"), asOf = $("as-of");
  validAt.max = String(Math.round((new Date(cfg.today + "T00:00:00Z") - FIRST_DAY) / DAY));
  validAt.value = validAt.max;
  $("valid-at-label").textContent = dayFromSlider();
  $("use-valid-at").addEventListener("change", (evt) => { validAt.disabled = !evt.target.checked; load(); });
  validAt.addEventListener("input", () => { $("valid-at-label").textContent = dayFromSlider(); });
  validAt.addEventListener("change", load);
  asOf.addEventListener("input", () => { $("as-of-label").textContent = asOf.value; });
  asOf.addEventListener("change", load);
  form.querySelectorAll("input[name=view], input[name=kind], #confirmed-only, #region, #area, #colour")
      .forEach((input) => input.addEventListener("change", load));
  load();
})();
