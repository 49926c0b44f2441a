/* The interactive partner graph: Cytoscape.js over /api/graph (same filters and time axes as the API).
   Cytoscape.js, not sigma.js 4 (WebGL): measured on the page's own data at 1,000 partnerships in headless chromium
   (tests/bench/bench_renderers.py), Cytoscape was faster at first paint, filtering and zooming wherever WebGL runs
   without a GPU (SwiftShader here; many office virtual desktops). The figures are in the README. */
(function () {
  "use strict";
  const cfg = JSON.parse(document.getElementById("graph-config").textContent);
  const T = cfg.texts;
  let comparing = false;  // the graph shows two dates compared (the legend then explains the marks)
  const plural = new Intl.PluralRules(cfg.locale);
  // "1 węzeł", "2 węzły", "5 węzłów": the page gives each plural category's form, the browser picks one.
  const counted = (forms, n) => (forms[plural.select(n)] || forms.other).replace("{n}", n.toLocaleString(cfg.locale));
  const $ = (id) => document.getElementById(id);
  const container = $("cy");
  const form = $("controls");
  form.addEventListener("submit", (event) => event.preventDefault());  // no inline handlers: the CSP forbids them
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
  let metrics = null;  // /api/graph/metrics of the partnership view, when a control needs it
  let lastData = null;
  let layout = null;  // positions of every node ever recorded, loaded once: they never move
  let fitted = false;
  const LABEL_PX = 12;  // labels keep this size on screen at any zoom
  const LABEL_FONT = "Helvetica Neue, Helvetica, sans-serif";  // Cytoscape's own, named: labels are measured in it

  // How a link of each kind looks, in the order of the style sheet (a later rule wins): one home that
  // Cytoscape's style sheet and the overview's links layer (below) both read.
  const LINK_RULES = [
    ["edge", { "width": 1.2, "line-color": "#9aa" }],
    ["edge.exchange_confirmed", { "line-color": "#2a7", "width": 2.5 }],
    ["edge.exchange_unconfirmed", { "line-color": "#e80", "line-style": "dashed", "width": 2 }],
    ["edge.co_organised, edge.organised, edge.attended", { "line-color": "#57c" }],
  ];

  /* The style sheet: the base rules, then how opaque links and faded elements are. A dense answer's links (a
     faint texture until a node is focused) carry the class "dense" from the answer itself, so the sheet never
     changes: replacing it when an answer's density changed (every region filter at 1,000 partnerships) restyled
     every element against it, and a filter change waited for all ~1,000 nodes to be restyled and redrawn. */
  const BASE_SHEET = [
    { selector: "node", style: { "label": "", "font-size": 12, "font-family": LABEL_FONT, "text-wrap": "ellipsis", "text-max-width": 200,
      "text-valign": "bottom", "text-margin-y": 2, "text-background-color": "#fff", "text-background-opacity": 0.75,
      "background-color": "data(colour)", "width": "data(size)", "height": "data(size)", "color": "#111",
      "border-width": 1, "border-color": "#fff" } },
    { selector: "node.labelled", style: { "label": "data(label)" } },
    { selector: "node.hovered", style: { "label": "data(label)", "z-index": 10, "text-background-opacity": 1 } },
    { selector: "node.region-label", style: { "label": "data(label)", "shape": "rectangle", "width": 1, "height": 1,
      "background-opacity": 0, "border-width": 0, "font-size": 30, "font-weight": "bold", "color": "#345",
      "text-valign": "center", "text-wrap": "none", "text-max-width": 5000, "text-background-opacity": 0.6,
      "events": "no" } },
    { selector: ".faded", style: { "opacity": 0.12 } },
    { selector: "edge.near", style: { "opacity": 0.9 } },
    { selector: "node[type = 'organisation']", style: { "shape": "round-rectangle" } },
    { selector: "node[type = 'meeting']", style: { "shape": "diamond", "background-color": "#57c" } },
    { selector: "edge", style: { "curve-style": "haystack", "opacity": 0.7 } },
    ...LINK_RULES.map(([selector, style]) => ({ selector: selector, style: style })),
    { selector: ".match", style: { "border-width": 4, "border-color": "#000" } },
    { selector: ".path", style: { "line-color": "#c00", "width": 5, "border-width": 4, "border-color": "#c00", "opacity": 1 } },
    { selector: ".added", style: { "border-width": 4, "border-color": "#0a0", "line-color": "#0a0", "width": 4 } },
    { selector: ".removed", style: { "border-width": 4, "border-color": "#c00", "line-color": "#c00", "line-style": "dotted", "opacity": 0.6 } },
    { selector: "edge.changed", style: { "line-color": "#83c", "line-style": "dashed", "width": 4 } },
    { selector: ":selected", style: { "border-width": 5, "border-color": "#fc0" } },
    { selector: "edge.bridge", style: { "line-color": "#000", "width": 6, "opacity": 1, "line-style": "solid" } },
    { selector: "node.articulation", style: { "border-width": 6, "border-color": "#000", "border-style": "double" } },
    { selector: "node.isolated", style: { "border-width": 4, "border-color": "#c00", "border-style": "dashed" } },
  ];
  // How opaque links are, plain and faded by a focus: a dense answer's are a faint texture. One home for the
  // style sheet and the links layer, which draws the same links for a large answer.
  const LINK_OPACITY = { dense: { plain: 0.25, faded: 0.04 }, sparse: { plain: 0.7, faded: 0.12 } };
  const SHEET = BASE_SHEET.concat([
    { selector: "edge", style: { "opacity": LINK_OPACITY.sparse.plain } },
    { selector: "edge.dense", style: { "opacity": LINK_OPACITY.dense.plain } },
    { selector: ".faded", style: { "opacity": LINK_OPACITY.sparse.faded } },
    { selector: "edge.dense.faded", style: { "opacity": LINK_OPACITY.dense.faded } },
    { selector: "edge.near", style: { "opacity": 0.9 } },
  ]);

  /* Hidden by an answer: invisible and deaf to the pointer, but keeping its place (visibility, not display: with
     display: none a filter change took 374 instead of 295 ms, Cytoscape measuring the element and its links again).
     By a style of the element's own, its state in scratch data, not by a class: Cytoscape restyles an element
     whose classes change against the whole style sheet — hiding the 938 nodes outside one region at 1,000
     partnerships took 41–64 ms to the painted frame by a class, 20–33 ms so; showing them 49–77 against 32–40 ms.
     (A link never outlives its ends here: every answer, step and comparison hides its own links.) */
  const isOff = (e) => e.scratch("_off") === true;
  const notOff = (e) => !isOff(e);
  /* Hides (or shows) the elements of a list whose state differs, with one call for them all: a style set element by
     element made Cytoscape build collections and notify its renderer once per element (~30 ms of a region filter's
     ~940 at 1,000 partnerships, in a CPU profile). */
  function setOff(list, off) {
    const changing = list.filter((e) => isOff(e) !== off);
    if (!changing.length) return;
    changing.forEach((e) => { e.scratch("_off", off); });
    const all = cy.collection(changing);
    if (off) all.style("visibility", "hidden");
    else all.removeStyle("visibility");
  }

  const cy = cytoscape({
    container: container,
    wheelSensitivity: 0.3,
    hideEdgesOnViewport: true,
    textureOnViewport: true,
    minZoom: 0.05,
    maxZoom: 4,
    style: SHEET,
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
    if (cfg.ticks.length && Number($("as-of").value) < cfg.ticks.length - 1) p.set("as_of", String(cfg.ticks[Number($("as-of").value)][0]));
    Object.entries(overrides || {}).forEach(([k, v]) => (v === null ? p.delete(k) : p.set(k, v)));
    return p;
  }

  /* The address of an answer. The partnership view's links come without their reasons, save for the network as
     known now and unfiltered (kept ready by the server, with them): the link tapped asks for its own
     (/api/graph/link). At 1,000 partnerships a moment's answer is then half the text (8.7 → 4.3 MB) and parsed
     in a third of the time. */
  function graphUrl(p) {
    const q = new URLSearchParams(p);
    if (q.get("view") === "partnerships" && [...q.keys()].some((k) => k !== "view")) {
      q.set("reasons", "false");
      q.set("format", "columns");  // read back into links by fromColumns()
    }
    return "/api/graph?" + q;
  }

  function colourOf(node) {
    if ($("colour").value === "community" && node.id in communities) return COLOURS[communities[node.id] % COLOURS.length];
    const i = REGIONS.indexOf(node.region);
    return i >= 0 ? COLOURS[i] : "#999";
  }

  // A node's fixed place (from /api/graph/positions), or undefined for one the layout does not know.
  const placed = (id) => { const p = layout && layout.positions[id]; return p ? { x: p[0], y: p[1] } : undefined; };

  function elements(data, mark) {
    const nodes = data.nodes.map((n) => ({ group: "nodes", classes: mark || "", position: placed(n.id),  // where it stays
      data: { id: n.id, label: n.name || n.id, name: n.name || "", type: n.type, region: n.region,
              regions: n.regions || [], colour: colourOf(n), size: n.type === "meeting" ? 12 : 18,
              held_on: n.held_on || "", ends_on: n.ends_on || "" } }));
    const seen = new Set();
    const classesOf = new Map();  // a link's kinds → its classes (a few distinct ones for tens of thousands of links)
    const edges = data.edges.map((e, i) => {
      const kind = e.kind || (e.kinds || [])[0] || "link";
      // The same link has the same id in every answer (so a new answer can keep what it keeps, see update()).
      let id = `${e.source}|${e.target}|${e.key === undefined ? kind : e.key}${mark ? "|" + mark : ""}`;
      if (seen.has(id)) id += `|${i}`;
      seen.add(id);
      const kinds = `${kind} ${(e.kinds || []).join(" ")}`;
      // Each class once (Cytoscape's classes() takes a list with a repeat for one already held).
      if (!classesOf.has(kinds)) classesOf.set(kinds, [...new Set([kind].concat(e.kinds || []).concat(mark ? [mark] : []))].join(" "));
      return { group: "edges", classes: classesOf.get(kinds),
        data: { id: id, source: e.source, target: e.target,
                kind: kind, kinds: e.kinds || [kind], label: e.label || "", reasons: e.reasons || [],
                weight: e.weight || (e.reasons || []).length || 1, lean: !e.reasons && !!e.kinds,  // reasons asked on tap
                record: e.record || "", role: e.role || "" } };
    });
    return nodes.concat(edges);
  }

  function regionLabels() {
    return Object.entries(layout.regions).map(([code, r]) => ({ group: "nodes", classes: "region-label",
      // colour and size too: the sheet maps them for every node (Cytoscape warned at each restyle without them)
      data: { id: "region:" + code, label: r.name, type: "region-label", colour: "#fff", size: 1 },
      position: { x: r.x, y: r.y - 470 }, selectable: false, grabbable: false }));
  }

  /* Overview first: above DENSE links only each node's strongest few are drawn (Cytoscape took 3.2 s per
     frame for the 52,931 links of 1,000 partnerships); the rest join when a node is focused or on a path.
     For the answer the page shows (not play's steps or a comparison's marks), the strongest are drawn by the
     links layer below, not as Cytoscape elements: every link of a dense answer is held. */
  const DENSE = 4000, STRONGEST = 3;
  /* Above LAYERED links an answer's links are all drawn by the links layer, a sparse one's too (plainly): as
     Cytoscape elements, the 1,300 links of a day in 2020 at 1,000 partnerships made a business-date slider
     change take ~410 ms to the painted frame, most of it painting (tests/bench/bench_ui.py). Below it (the
     sample, a small region) each link is an element of its own, to be tapped at once. */
  const LAYERED = 400;
  let held = new Map();  // edge id → element definition not drawn by Cytoscape yet
  let heldAt = new Map();  // node id → its held edge ids

  /* An answer's elements made ready to draw: which links Cytoscape draws, which it holds, which are faint
     (drawn by the links layer). Nothing here is changed later, so an answer kept parsed is prepared once. */
  function overview(els, layered) {
    const edges = els.filter((e) => e.group === "edges");
    const ready = { els: els, held: new Map(), heldAt: new Map(), faint: [], dense: edges.length > DENSE };
    if (ready.dense) edges.forEach((e) => { e.classes = e.classes ? e.classes + " dense" : "dense"; });
    if (!ready.dense) {
      if (!layered || edges.length <= LAYERED) return ready;
      ready.faint = edges;  // every link on the layer, each held until a focus, a path or a bridge needs it
      edges.forEach((e) => hold(ready, e));
      ready.els = els.filter((e) => e.group !== "edges");
      return ready;
    }
    // Each node's STRONGEST links by their number of reasons, the earlier first among equals (as a stable
    // sort would take them), picked in one pass per node instead of sorting its list (~50 links each).
    const weight = edges.map((e) => e.data.weight);
    const byNode = new Map();
    edges.forEach((e, i) => [e.data.source, e.data.target].forEach((n) => {
      if (!byNode.has(n)) byNode.set(n, []);
      byNode.get(n).push(i);
    }));
    const keep = new Set();
    byNode.forEach((list) => {
      const best = [];
      list.forEach((i) => {
        if (best.length === STRONGEST && weight[i] <= weight[best[STRONGEST - 1]]) return;
        let at = best.length;
        while (at > 0 && weight[best[at - 1]] < weight[i]) at -= 1;
        best.splice(at, 0, i);
        if (best.length > STRONGEST) best.pop();
      });
      best.forEach((i) => keep.add(edges[i].data.id));
    });
    edges.forEach((e) => { if (!keep.has(e.data.id) || layered) hold(ready, e); });
    if (layered) ready.faint = edges.filter((e) => keep.has(e.data.id));
    ready.els = els.filter((e) => e.group !== "edges" || (keep.has(e.data.id) && !layered));
    return ready;
  }
  function hold(ready, e) {  // a link not drawn by Cytoscape until released
    ready.held.set(e.data.id, e);
    [e.data.source, e.data.target].forEach((n) => {
      if (!ready.heldAt.has(n)) ready.heldAt.set(n, []);
      ready.heldAt.get(n).push(e.data.id);
    });
  }
  const prepared = new WeakMap();  // an answer kept parsed → its elements by colour mode
  function prepare(data) {
    const mode = $("colour").value, kept = prepared.get(data) || {};
    if (!kept[mode]) kept[mode] = overview(elements(data), true);
    prepared.set(data, kept);
    return kept[mode];
  }
  // Cytoscape keeps the data and position objects it is given and changes them (sizes, colours, a drag): it gets copies.
  const fresh = (def) => ({ ...def, data: { ...def.data }, ...(def.position ? { position: { ...def.position } } : {}) });

  /* The overview's faint links on a canvas of our own under Cytoscape's, stroked in one path per look.
     As Cytoscape elements they cost ~100 ms of each ~145 ms frame at 1,000 partnerships (2,100 links,
     each styled and drawn on its own), and a filter restyled every one of them; stroked here they cost
     ~20 ms of the frame and a filter restyles none. With the labels' boxes by arithmetic (placeLabels),
     a filter change went from 570 to ~300 ms to the painted frame (tests/bench/bench_ui.py, one session).
     A link becomes a Cytoscape element where it must be one: a focused node's links, a path, a bridge. */
  const links = { groups: [], count: 0, dense: false, faded: false, canvas: null, painted: "" };
  window.hubLinks = links;
  const lookOf = (() => {
    const rules = LINK_RULES.map(([selector, style]) =>
      [selector.split(",").map((one) => one.trim().replace(/^edge\.?/, "")), style]);
    const looks = new Map();
    return (classes) => {
      if (!looks.has(classes)) {
        const mine = new Set(classes.split(" "));
        const look = {};
        rules.forEach(([names, style]) => { if (names.some((n) => n === "" || mine.has(n))) Object.assign(look, style); });
        looks.set(classes, look);
      }
      return looks.get(classes);
    };
  })();
  function setLinks(faint) {
    const groups = new Map();  // one path per look
    faint.forEach((e) => {
      const look = lookOf(e.classes || ""), key = JSON.stringify(look);
      if (!groups.has(key)) groups.set(key, { look: look, at: [], ids: [] });
      groups.get(key).at.push(e.data.source, e.data.target);
      groups.get(key).ids.push(e.data.id);
    });
    links.groups = [...groups.values()];
    links.count = faint.length;
    placeLinks();
  }
  function placeLinks() {  // the ends' places (they move only when someone drags a node)
    // One walk over the nodes: a getElementById per end made a Cytoscape collection each (4,200 per change of a
    // dense answer), the largest single cost of a filter change's JavaScript in a CPU profile.
    const at = new Map();
    cy.nodes().forEach((n) => { at.set(n.id(), n.position()); });
    links.groups.forEach((g) => {
      g.xy = new Float64Array(g.at.length * 2);
      g.at.forEach((id, i) => { const p = at.get(id); g.xy[2 * i] = p.x; g.xy[2 * i + 1] = p.y; });
    });
    repaintLinks();
  }
  function repaintLinks() {  // at the next frame, whether or not the view moved
    links.painted = "";
    cy.forceRender();
  }
  function strokeLinks(g, scale, zoom, pan) {  // in the graph's coordinates, as Cytoscape draws its links
    g.setTransform(scale * zoom, 0, 0, scale * zoom, scale * pan.x, scale * pan.y);
    g.globalAlpha = linkOpacity();
    g.lineCap = "butt";
    links.groups.forEach(({ look, xy }) => {
      g.strokeStyle = look["line-color"];
      g.lineWidth = look.width;
      // Dashes of a fixed length on screen: Cytoscape's, in the graph's units, are a pixel long in the
      // overview (so many that stroking them took ~80 ms) and read as a plain line.
      g.setLineDash(look["line-style"] === "dashed" ? [6 / zoom, 4 / zoom] : []);
      g.beginPath();
      for (let i = 0; i < xy.length; i += 4) { g.moveTo(xy[i], xy[i + 1]); g.lineTo(xy[i + 2], xy[i + 3]); }
      g.stroke();
    });
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.globalAlpha = 1;
  }
  function paintLinks() {  // with each frame Cytoscape renders, when the view or the links changed
    const w = cy.width(), h = cy.height(), r = window.devicePixelRatio || 1, zoom = cy.zoom(), pan = cy.pan();
    const key = `${w}|${h}|${r}|${zoom}|${pan.x}|${pan.y}`;
    if (key === links.painted) return;
    links.painted = key;
    if (!links.canvas) {
      links.canvas = el("canvas", undefined, { "aria-hidden": "true" });
      Object.assign(links.canvas.style, { position: "absolute", left: "0", top: "0", zIndex: "0", pointerEvents: "none" });
      container.firstElementChild.prepend(links.canvas);  // Cytoscape's own canvases lie above it (z-index 1–3)
    }
    const c = links.canvas;
    if (c.width !== Math.round(w * r) || c.height !== Math.round(h * r)) {
      Object.assign(c, { width: Math.round(w * r), height: Math.round(h * r) });
      Object.assign(c.style, { width: `${w}px`, height: `${h}px` });
    }
    const g = c.getContext("2d");
    g.clearRect(0, 0, c.width, c.height);
    if (links.count) strokeLinks(g, r, zoom, pan);
  }
  cy.on("render", paintLinks);
  cy.on("drag", "node", () => { if (links.count) placeLinks(); });  // someone moves a node by hand
  const linkOpacity = () => LINK_OPACITY[links.dense ? "dense" : "sparse"][links.faded ? "faded" : "plain"];
  function fadeLinks(faded) {
    if (links.faded === faded) return;
    links.faded = faded;
    repaintLinks();
  }

  function release(ids) {  // draw held links (a focus, a path), marked so they can be held again
    const ready = ids.filter((id) => held.has(id) && isOff(cy.getElementById(id)));  // hidden by an answer
    cy.batch(() => {
      const shown = ready.map((id) => cy.getElementById(id));
      shown.forEach((e) => { e.classes((held.get(e.id()).classes || "") + " released"); });
      setOff(shown, false);
    });
    const defs = ids.filter((id) => held.has(id) && cy.getElementById(id).empty()).map((id) => held.get(id));
    return cy.add(defs.map((d) => ({ ...fresh(d), classes: (d.classes || "") + " released" })));
  }

  /* Positions never move, so a new answer (a filter, either time axis) does not rebuild the picture:
     what it keeps stays drawn as it was, what it drops is hidden (setOff), what it adds joins at its fixed
     place. Measured at 1,000 partnerships in headless chromium: rebuilding cost ~700 ms to draw and
     ~900 ms to paint the next frame; hiding and showing costs a fraction (tests/bench/bench_ui.py). */
  let rebuilt = false;  // the picture holds one answer's elements (not play's or a comparison's marks)
  const signature = (d) => (d.source ? `${d.kinds.join()}|${d.weight}|${d.label}|${d.role}|${d.record}`
    : `${d.name}|${d.type}|${d.region}|${(d.regions || []).join()}|${d.colour}|${d.held_on}|${d.ends_on}`);
  function update(els) {
    const wanted = new Map(els.map((e) => [e.data.id, e]));
    const dropped = [], kept = [];
    cy.elements().not(".region-label").forEach((e) => {
      const def = wanted.get(e.id());
      if (def === undefined) { dropped.push(e); return; }
      kept.push(e);
      wanted.delete(e.id());
      if (signature(e.data()) !== signature(def.data)) {
        const { id, source, target, ...changed } = def.data;  // an element's id and ends never change
        e.data(changed);
      }
      // Drops what the last answer marked (focus, structure), as a rebuild would; a label stays
      // until placeLabels says otherwise (taking it off here and putting it back restyled ~120 nodes twice).
      const classes = (def.classes || "").split(" ").filter(Boolean).concat(e.hasClass("labelled") ? ["labelled"] : []);
      const now = e.classes();
      if (now.length !== classes.length || classes.some((c) => !e.hasClass(c))) e.classes(classes);
    });
    setOff(dropped, true);
    setOff(kept, false);
    cy.add([...wanted.values()].map(fresh));
  }

  function draw(ready, keep) {
    const els = ready.els;
    ({ held, heldAt } = ready);
    const incremental = keep === true && rebuilt && cy.nodes().length > 0;
    cy.batch(() => {
      cy.edges(".released").remove();
      if (incremental) update(els);
      else {
        cy.elements().remove();
        cy.add(els.map(fresh));
      }
      rebuilt = keep === true;
      const between = $("size").value === "betweenness" && metrics ? metrics.betweenness_centrality || {} : null;
      const degree = new Map();
      els.forEach((e) => { if (e.group === "edges") [e.data.source, e.data.target].forEach((n) => degree.set(n, (degree.get(n) || 0) + 1)); });
      const measure = (n) => (between ? between[n.id()] || 0 : (degree.get(n.id()) || 0) + (heldAt.get(n.id()) || []).length);
      const shownNodes = cy.nodes().not(".region-label").filter(notOff);
      const max = Math.max(1e-9, ...shownNodes.map(measure));
      shownNodes.forEach((n) => {
        // In steps of 2 px: Cytoscape keeps one drawn picture per look (size, colour, shape), so 14 sizes instead
        // of one per node let nodes share them: a record-time slider change painted in 112 ms instead of 256 ms,
        // a business-date one in 55 instead of 92 ms (tests/bench/bench_ui.py, run in turn).
        const size = (n.data("type") === "meeting" ? 8 : 12) + 2 * Math.round(13 * Math.sqrt(measure(n) / max));
        if (Math.abs(size - n.data("size")) > 0.25) n.data("size", size);
        const p = placed(n.id());  // back to its place if someone dragged it
        if (p && (n.position("x") !== p.x || n.position("y") !== p.y)) n.position(p);
      });
      if (cy.nodes().length > 0 && cy.nodes(".region-label").empty()) {
        cy.add(regionLabels());
        sizedAt = null;
      }
    });
    // Overview first: a dense network's links are a faint texture until a node is focused (their class "dense").
    const dense = ready.dense;
    links.faded = false;
    links.dense = dense;
    setLinks(ready.faint);
    if ($("colour").value === "community") colourByCommunity(ready);
    if (!fitted && cy.nodes().length) { cy.fit(cy.nodes(), 30); fitted = true; }
    const elementEdges = cy.edges().filter(notOff).length;  // not held: Cytoscape draws them
    status.textContent = `${counted(T.nodes, cy.nodes(":childless").not(".region-label").filter(notOff).length)}, ${counted(T.links, elementEdges + held.size)}` +
      (dense ? ` · ${T.strongest.replace("{n}", elementEdges + links.count)}` : "");
    structure();
    placeLabels();
    legend();
    if ($("table-box").open) table();
    container.dataset.loads = String(Number(container.dataset.loads) + 1);
  }

  /* Community colours for every node: a partnership has its own; an organisation takes the community most of
     its linked partnerships belong to, and a meeting (linked to organisations) the one most of its parties took.
     Links are read from the answer, held ones too: drawn by the links layer, they are not Cytoscape's. */
  function colourByCommunity(ready) {
    const near = new Map();
    const link = (a, b) => { if (!near.has(a)) near.set(a, []); near.get(a).push(b); };
    const ends = (e) => { link(e.data.source, e.data.target); link(e.data.target, e.data.source); };
    ready.els.forEach((e) => { if (e.group === "edges") ends(e); });
    ready.held.forEach(ends);
    const found = new Map();
    const most = (id, known) => {
      const counts = new Map();
      (near.get(id) || []).forEach((m) => { const k = known(m); if (k !== undefined) counts.set(k, (counts.get(k) || 0) + 1); });
      let best;
      counts.forEach((n, k) => { if (best === undefined || n > counts.get(best) || (n === counts.get(best) && k < best)) best = k; });
      return best;
    };
    const nodes = cy.nodes().not(".region-label");
    nodes.forEach((n) => { if (communities[n.id()] !== undefined) found.set(n.id(), communities[n.id()]); });
    for (let step = 0; step < 2; step += 1) {  // organisations from partnerships, then meetings from both
      const known = new Map(found);
      nodes.forEach((n) => {
        if (!found.has(n.id())) { const c = most(n.id(), (m) => known.get(m)); if (c !== undefined) found.set(n.id(), c); }
      });
    }
    cy.batch(() => nodes.forEach((n) => {
      const c = found.get(n.id());
      n.data("community", c === undefined ? null : c);
      n.data("colour", c === undefined ? "#bbb" : COLOURS[c % COLOURS.length]);
    }));
  }

  /* Labels by level of detail: the biggest nodes first, each only where it overlaps no label already
     shown (measured on screen), so labels never overlap; recomputed when the view moves. */
  // A label's size on screen, in the graph's units at the zoom shown: set on the labelled nodes themselves.
  // (Rules added to the style sheet for it are never taken out: two more at each move of the view, and
  // every later restyle of every element read them all.)
  const labelStyle = (zoom) => ({ "font-size": LABEL_PX / zoom, "text-max-width": 200 / zoom });
  let sizedAt = null;  // the zoom the labels were last sized for
  function sizeLabels() {  // the same size on screen at any zoom, also while a zoom is animated
    const zoom = cy.zoom();
    if (zoom === sizedAt) return;
    sizedAt = zoom;
    cy.batch(() => {
      cy.nodes(".labelled").style(labelStyle(zoom));
      cy.nodes(".region-label").style("font-size", 14 / zoom);
    });
  }
  const first = (n) => Number(n.hasClass("focus") || n.hasClass("match") || n.hasClass("path"));  // labelled first
  const measurer = document.createElement("canvas").getContext("2d");
  const labelWidths = new Map();  // a label's text → its width on screen (at most 200 px, then an ellipsis)
  function labelWidth(text) {
    if (!labelWidths.has(text)) {
      measurer.font = `${LABEL_PX}px ${LABEL_FONT}`;
      labelWidths.set(text, Math.min(measurer.measureText(text).width, 200));
    }
    return labelWidths.get(text);
  }
  function placeLabels() {
    const view = { x1: 0, y1: 0, x2: container.clientWidth, y2: container.clientHeight };
    // Wholly inside: a label that only touched the view was cut by the canvas's edge ("kie 520: partnerstwo…").
    const inside = (b) => b.x1 >= view.x1 && b.x2 <= view.x2 && b.y1 >= view.y1 && b.y2 <= view.y2;
    const overlaps = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
    // Candidates by their centre on screen, a margin wide enough for a label that starts off screen; each
    // label's box by arithmetic, a little larger than Cytoscape's own (from the node's size, its widest
    // border and the text's width): Cytoscape's boxes cost ~55 ms at 1,000 partnerships, as each made the
    // label's style and size be computed at once. Classes change only where the answer changes.
    const zoom = cy.zoom(), pan = cy.pan(), margin = 100;
    const candidates = cy.nodes().not(".region-label").not(".faded").filter((n) => {
      if (isOff(n)) return false;
      const p = n.position(), x = p.x * zoom + pan.x, y = p.y * zoom + pan.y;
      return x > view.x1 - margin && x < view.x2 + margin && y > view.y1 - margin && y < view.y2 + margin;
    }).sort((a, b) => (first(b) - first(a)) || (b.data("size") - a.data("size"))).slice(0, 120);
    sizeLabels();
    const shown = cy.nodes(".region-label").map((n) => n.renderedBoundingBox({ includeNodes: false, includeLabels: true }));
    const kept = new Set();
    candidates.forEach((n) => {
      const p = n.position(), x = p.x * zoom + pan.x, y = p.y * zoom + pan.y, half = labelWidth(n.data("label")) / 2 + 1;
      const below = (n.data("size") / 2) * zoom;  // the label hangs under the node, its border and margin
      const box = { x1: x - half, x2: x + half, y1: y + below - 1, y2: y + below + 8 * zoom + LABEL_PX + 3 };
      if (inside(box) && !shown.some((other) => overlaps(box, other))) { shown.push(box); kept.add(n.id()); }
    });
    cy.batch(() => {
      cy.nodes(".labelled").filter((n) => !kept.has(n.id())).removeClass("labelled");
      candidates.filter((n) => kept.has(n.id()) && !n.hasClass("labelled")).style(labelStyle(zoom)).addClass("labelled");
    });
  }
  let labelTimer = null;
  cy.on("viewport", () => { sizeLabels(); clearTimeout(labelTimer); labelTimer = setTimeout(placeLabels, 120); });

  function legend() {
    const box = $("legend");
    const items = [];
    const swatch = (colour, text, shape) => {
      const li = el("li");
      const style = shape === "line" || shape === "dashed" ? `border-top-color:${colour}` : `background:${colour}`;
      li.append(el("span", "", { class: "swatch " + (shape || ""), style: style, "aria-hidden": "true" }), " ", text);
      return li;
    };
    if ($("colour").value === "community") {
      const sizes = {};
      cy.nodes().filter(notOff).forEach((n) => { const c = n.data("community"); if (c !== null && c !== undefined) sizes[c] = (sizes[c] || 0) + 1; });
      Object.keys(sizes).map(Number).sort((x, y) => x - y).slice(0, 16)
        .forEach((c) => items.push(swatch(COLOURS[c % COLOURS.length], `${T.community} ${c + 1} (${sizes[c]})`)));
    } else {
      REGIONS.forEach((code, i) => items.push(swatch(COLOURS[i], layout.regions[code].name)));
      items.push(swatch("#999", layout.regions.PL.name));
    }
    if ($("show-bridges").checked) items.push(swatch("#000", T.structure.bridges, "line"));
    if ($("show-articulation").checked) items.push(swatch("#fff", T.structure.articulation, "double"));
    if ($("show-isolated").checked) items.push(swatch("#fff", T.structure.isolated, "dashed-box"));
    const kinds = el("ul");
    [["#9aa", T.kinds.membership, "line"], ["#57c", T.kinds.meetings, "line"], ["#2a7", T.kinds.confirmed, "line"],
     ["#e80", T.kinds.unconfirmed, "dashed"]].forEach(([c, t, s]) => kinds.append(swatch(c, t, s)));
    const shapes = el("ul");
    [[T.shapes.partnership, "circle"], [T.shapes.organisation, "square"], [T.shapes.meeting, "diamond"]]
      .forEach(([t, s]) => shapes.append(swatch("#777", t, s)));
    const colours = el("ul");
    colours.append(...items);
    const compared = el("ul");
    [["#0a0", T.added, "line"], ["#c00", T.removed, "dashed"], ["#83c", T.changed, "dashed"]]
      .forEach(([c, t, s]) => compared.append(swatch(c, t, s)));
    box.replaceChildren(el("h2", T.legend), el("p", $("colour").value === "community" ? T.colourCommunity : T.colourRegion),
                        colours, el("p", T.shapes.title), shapes, el("p", T.kinds.title), kinds,
                        ...(comparing ? [el("p", T.compared), compared] : []),
                        el("p", $("size").value === "betweenness" ? T.sizeBetweenness : T.size));
  }

  async function fetchJSON(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } });
    if (!response.ok) throw new Error((await response.json()).detail || response.statusText);
    return response.json();
  }

  /* The last answers, parsed, kept by address and revalidated by their ETag: going back to a filter or a
     date already seen costs a 304, not the transfer and parse of the answer again (8.7 MB and ~180 ms at
     1,000 partnerships). */
  const answers = new Map();
  const asking = new Map();  // address → the answer on its way: a load and a look-ahead share one request
  function answer(url) {
    if (!asking.has(url)) asking.set(url, ask(url).finally(() => asking.delete(url)));
    return asking.get(url);
  }
  /* An answer's links in columns (format=columns: the ends as positions in its nodes) made links again. In columns
     a moment's answer at 1,000 partnerships is a fifth of the text: chromium read a late moment's 3.8 MB in
     53–129 ms, its 0.7 MB in 13–17 ms (JSON.parse itself is the smaller part); making the links here takes a few. */
  function fromColumns(data) {
    if (!data.links) return data;
    const { source, target, weight, kinds } = data.links, ids = data.nodes.map((n) => n.id);
    data.edges = source.map((s, i) => ({ source: ids[s], target: ids[target[i]], kinds: data.kinds[kinds[i]], weight: weight[i] }));
    delete data.links;
    return data;
  }
  async function ask(url) {
    const kept = answers.get(url);
    const headers = { "Accept": "application/json" };
    if (kept) headers["If-None-Match"] = kept.etag;
    const response = await fetch(url, { credentials: "same-origin", headers: headers, cache: "no-store" });
    answers.delete(url);
    if (response.status === 304 && kept) { answers.set(url, kept); return kept.data; }
    if (!response.ok) throw new Error((await response.json()).detail || response.statusText);
    const data = fromColumns(await response.json());
    const etag = response.headers.get("ETag");
    if (etag) answers.set(url, { etag: etag, data: data });
    if (answers.size > 4) answers.delete(answers.keys().next().value);  // each may hold tens of MB parsed
    return data;
  }

  /* The positions, the measures a control needs and the answer are asked for at once (the server computes
     them side by side); an answer that arrives after a newer one was asked for is not drawn, so the picture
     always matches the controls, however fast someone changes them. */
  let asked = 0;
  async function load() {
    clearTimeout(lookAheadTimer);  // another change came first: the moments next to the last one can wait
    comparing = false;
    if (play.timer !== null) stopPlaying();
    play.data = null;
    status.textContent = T.loading;
    const p = params(), mine = ++asked;
    try {
      const wanted = $("colour").value === "community" || $("size").value === "betweenness" ||
        form.querySelector(".structure:checked") !== null;
      performance.mark("graph:request");
      const [positions, measures, data] = await Promise.all([layout || fetchJSON("/api/graph/positions"),
        // betweenness only when the nodes are sized by it: it is the slowest measure after a write that adds a link
        wanted ? fetchJSON("/api/graph/metrics?" + params({
          view: null, betweenness: $("size").value === "betweenness" ? null : "false" })) : null,
        answer(graphUrl(p))]);
      if (mine !== asked) return;
      if (layout === null && positions.regions.PL) positions.regions.PL.name = T.wholeCountry;  // the API's words are Polish
      layout = positions;
      metrics = measures;
      communities = (metrics && metrics.communities) || {};
      lastData = data;
      performance.mark("graph:data");
      draw(prepare(lastData), true);
      performance.mark("graph:drawn");
      refocus();
      // Painted: the frame after the one that drew (what the benchmark's first meaningful paint ends at).
      requestAnimationFrame(() => requestAnimationFrame(() => performance.mark("graph:painted")));
    } catch (error) {
      if (mine === asked) status.textContent = String(error.message || error);
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

  /* A focus outlives a new answer (a filter, either time axis): the node is focused again and its panel says what it
     has at the new moment; a node the answer no longer shows is let go, and the panel says so instead of telling
     about links the picture no longer has. */
  let focused = null;  // the id of the node focused
  const hint = [...details.childNodes].map((n) => n.cloneNode(true));  // the panel before any tap
  function refocus() {
    if (focused === null) return;
    const n = cy.getElementById(focused);
    if (n.nonempty() && notOff(n)) { n.emit("tap"); return; }
    unfocus();
    show([el("p", T.notShown, { class: "muted" }), ...hint.map((h) => h.cloneNode(true))]);
  }

  /* Focus: the node and its neighbourhood (1 or 2 hops) stay, the rest fades; the panel says why each link exists. */
  function focus(node) {
    cy.edges(".released").remove();
    release(heldAt.get(node.id()) || []);
    let near = node.closedNeighborhood();
    if ($("two-hops").checked) near = near.closedNeighborhood();
    cy.batch(() => {
      cy.elements(".focus, .near").removeClass("focus near");
      cy.elements().not(".region-label").difference(near).not(".faded").addClass("faded");
      near.filter(".faded").removeClass("faded");
      near.edges().addClass("near");
      node.addClass("focus");
    });
    fadeLinks(true);
    placeLabels();
  }
  function unfocus() {
    focused = null;
    cy.edges(".released").remove();
    cy.elements(".faded, .focus, .near").removeClass("faded focus near");
    fadeLinks(false);
    placeLabels();
  }
  /* A link of the layer is tapped where it is drawn: the nearest within a few pixels of the tap becomes a
     Cytoscape element and tells why it exists, as one drawn by Cytoscape does. */
  function linkAt(at) {
    const reach = 4 / cy.zoom();  // pixels on screen, in the graph's units
    let best = null, nearest = reach * reach;
    links.groups.forEach(({ xy, ids }) => {
      for (let i = 0; i < xy.length; i += 4) {
        const [x1, y1, dx, dy] = [xy[i], xy[i + 1], xy[i + 2] - xy[i], xy[i + 3] - xy[i + 1]];
        const t = Math.max(0, Math.min(1, ((at.x - x1) * dx + (at.y - y1) * dy) / (dx * dx + dy * dy || 1)));
        const d = (x1 + t * dx - at.x) ** 2 + (y1 + t * dy - at.y) ** 2;
        if (d <= nearest) { nearest = d; best = ids[i / 4]; }
      }
    });
    return best;
  }
  cy.on("tap", (evt) => {
    if (evt.target !== cy) return;
    const id = links.count ? linkAt(evt.position) : null;
    if (id === null) { unfocus(); return; }
    cy.edges(".released").not(".near").remove();  // the link tapped before, unless a focus drew it
    release([id]);
    cy.getElementById(id).emit("tap");
  });

  // Labels on hover too: a node without one shows its name while the pointer is on it (over the others).
  cy.on("mouseover", "node", (evt) => {
    const n = evt.target;
    if (n.hasClass("region-label") || n.hasClass("labelled")) return;
    n.style(labelStyle(cy.zoom())).addClass("hovered");
  });
  const unhover = () => cy.nodes(".hovered").removeClass("hovered");
  cy.on("mouseout", "node", unhover);
  container.addEventListener("mouseleave", unhover);  // off the graph at once: Cytoscape says nothing then

  cy.on("tap", "node", (evt) => {
    const d = evt.target.data();
    focus(evt.target);
    focused = d.id;
    const regionNames = (d.regions || []).map((code) => (layout.regions[code] || { name: code }).name).join(", ");
    const head = [el("h2", d.name), el("p", `${T.types[d.type] || d.type}${regionNames ? " · " + regionNames : ""}` +
                                              `${d.held_on ? " · " + d.held_on : ""}${d.ends_on ? " – " + d.ends_on : ""}`)];
    if (d.type !== "meeting") {  // meetings have no page of their own: they are listed on their organisers'
      const page = d.type === "partnership" ? `/partnerships/${d.id}` : `/organisations/${d.id}`;
      const links = el("p");
      links.append(el("a", T.open, { href: page }), " · ", el("a", T.history, { href: `/audit/${d.id}` }));
      head.push(links);
    }
    const list = el("ul");
    evt.target.connectedEdges().slice(0, 25).forEach((e) => {
      const other = e.source().id() === d.id ? e.target() : e.source();
      const kinds = (e.data("kinds") || [e.data("kind")]).map((k) => T.linkKinds[k] || k).join(", ");
      list.append(el("li", `${other.data("name")} — ${kinds}${e.data("role") ? " (" + e.data("role") + ")" : ""}`));
    });
    if (evt.target.connectedEdges().length > 25) list.append(el("li", `… ${evt.target.connectedEdges().length - 25}`));
    show([...head, el("h3", T.reasons), list]);
  });
  function showReasons(reasons) {
    const list = el("ul");
    reasons.forEach((r) => {
      const li = el("li", `${T.linkKinds[r.kind] || r.kind}: ${r.label || ""}`);  // in the page's language
      if (r.via) li.append(" ", el("a", T.history, { href: `/audit/${r.via}` }));
      list.append(li);
    });
    show([el("h2", T.reasons), list]);
  }
  let tapped = 0;  // the last tap: an answer about an earlier one is not shown over it
  cy.on("tap", "node", () => { tapped += 1; });
  cy.on("tap", "edge", async (evt) => {
    const d = evt.target.data(), mine = ++tapped;
    if (!d.lean) {
      showReasons(d.reasons.length ? d.reasons : [{ kind: d.kind, label: d.label || d.role, via: d.record }]);
      return;
    }
    // A link of an answer without reasons: its own, at the same moment and filters, from the server.
    show([el("h2", T.reasons), el("p", T.loading)]);
    const q = params({ view: null });
    q.set("source", d.source);
    q.set("target", d.target);
    try {
      const link = await fetchJSON("/api/graph/link?" + q);
      evt.target.data({ reasons: link.reasons, lean: false });
      if (mine === tapped) showReasons(link.reasons);
    } catch (error) { if (mine === tapped) show([el("h2", T.reasons), el("p", String(error.message || error))]); }
  });

  /* Names with autocomplete: diacritics optional ("lodz" finds "Łódź"), every node shown (also links held back). */
  function suggestions(query) {
    const q = fold(query.trim());
    if (!q || !lastData) return [];
    const starts = [], within = [];
    lastData.nodes.forEach((n) => {
      const f = fold(n.name);
      if (f.startsWith(q)) starts.push(n);
      else if (f.includes(q)) within.push(n);
    });
    return starts.concat(within).slice(0, 8);
  }
  function combobox(input, pick) {
    input.addEventListener("input", () => { delete input.dataset.id; });
    window.hubCombobox(input, {
      options: suggestions,
      label: (n) => `${n.name} · ${T.types[n.type] || n.type}`,
      choose: (n) => { input.value = n.name; input.dataset.id = n.id; pick(n); },
    });
  }
  const resolve = (input) => {  // the picked node, or the only one whose name matches what was typed
    if (input.dataset.id) return input.dataset.id;
    const exact = lastData ? lastData.nodes.filter((n) => fold(n.name) === fold(input.value.trim())) : [];
    if (exact.length === 1) return exact[0].id;
    const found = suggestions(input.value);
    return found.length === 1 ? found[0].id : null;
  };

  $("search").addEventListener("input", (evt) => {  // every match marked while typing; the picked one is focused
    const q = fold(evt.target.value.trim());
    cy.nodes(".match").removeClass("match");
    if (!q) return;
    const hits = cy.nodes().not(".region-label").filter(notOff).filter((n) => fold(n.data("name")).includes(q));
    hits.addClass("match");
    placeLabels();
    if (hits.length === 1) cy.animate({ center: { eles: hits }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 300 });
    else if (hits.length) cy.animate({ fit: { eles: hits, padding: 60 } }, { duration: 300 });
  });
  combobox($("search"), (n) => {
    const node = cy.getElementById(n.id);
    cy.nodes(".match").removeClass("match");
    if (node.empty()) return;
    node.addClass("match");
    node.emit("tap");
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 300 });
  });
  combobox($("path-from"), () => {});
  combobox($("path-to"), () => {});

  $("path").addEventListener("click", async () => {
    const a = resolve($("path-from")), b = resolve($("path-to"));
    cy.elements(".path").removeClass("path");
    if (!a || !b) { status.textContent = T.pickBoth; return; }
    const p = params({ view: null });
    p.set("from", a);
    p.set("to", b);
    let result;
    try { result = await fetchJSON("/api/graph/path?" + p); } catch (error) { status.textContent = String(error.message || error); return; }
    if (!result.connected) { status.textContent = T.noPath; return; }
    result.hops.forEach((h) => {
      release((heldAt.get(h.from) || []).filter((id) => { const e = held.get(id);
        return (e.data.source === h.to || e.data.target === h.to); }));
      cy.getElementById(h.from).addClass("path");
      cy.getElementById(h.to).addClass("path");
      cy.edges().filter((e) => (e.data("source") === h.from && e.data("target") === h.to) ||
                               (e.data("source") === h.to && e.data("target") === h.from)).addClass("path");
    });
    placeLabels();
    cy.animate({ fit: { eles: cy.elements(".path"), padding: 80 } }, { duration: 300 });
  });

  /* Structure at a glance: bridges, articulation points and isolated partnerships, marked on the graph
     (by line and border style, not colour alone) and listed with links to their pages. */
  const isShown = (id) => { const e = cy.getElementById(id); return !e.empty() && !isOff(e); };
  function structure() {
    const box = $("structure");
    cy.elements(".bridge, .articulation, .isolated").removeClass("bridge articulation isolated");
    const shown = [];
    if (metrics) {
      const nodeList = (title, ids, cls) => {
        const present = ids.filter(isShown);
        cy.batch(() => present.forEach((id) => cy.getElementById(id).addClass(cls)));
        const list = el("ul");
        present.slice(0, 50).forEach((id) => {
          const li = el("li");
          li.append(el("a", cy.getElementById(id).data("name"), { href: `/partnerships/${id}` }));
          list.append(li);
        });
        if (present.length > 50) list.append(el("li", T.more.replace("{n}", present.length - 50)));
        if (!present.length) list.append(el("li", T.structure.none));
        shown.push(el("h3", `${title} (${present.length})`), list);
      };
      if ($("show-bridges").checked) {
        const list = el("ul");
        const pairs = (metrics.bridges || []).filter(([a, b]) => isShown(a) && isShown(b));
        pairs.forEach(([a, b]) => {
          release((heldAt.get(a) || []).filter((id) => { const e = held.get(id); return e.data.source === b || e.data.target === b; }));
          cy.edges().filter((e) => (e.data("source") === a && e.data("target") === b) ||
                                   (e.data("source") === b && e.data("target") === a)).addClass("bridge");
        });
        pairs.slice(0, 50).forEach(([a, b]) => {
          const li = el("li");
          li.append(el("a", cy.getElementById(a).data("name"), { href: `/partnerships/${a}` }), " — ",
                    el("a", cy.getElementById(b).data("name"), { href: `/partnerships/${b}` }));
          list.append(li);
        });
        if (pairs.length > 50) list.append(el("li", T.more.replace("{n}", pairs.length - 50)));
        if (!pairs.length) list.append(el("li", T.structure.none));
        shown.push(el("h3", `${T.structure.bridges} (${pairs.length})`), list);
      }
      if ($("show-articulation").checked) nodeList(T.structure.articulation, metrics.articulation_points || [], "articulation");
      if ($("show-isolated").checked) nodeList(T.structure.isolated, metrics.isolated_partnerships || [], "isolated");
    }
    box.replaceChildren(...shown);
    box.hidden = shown.length === 0;
  }

  /* The same data as a table (a text alternative to the picture): sortable, reachable by keyboard. */
  let sortKey = "links", sortDown = true;
  function table() {
    if (!lastData) return;
    const degree = new Map(), linked = new Map(), names = new Map(lastData.nodes.map((n) => [n.id, n.name]));
    lastData.edges.forEach((e) => [[e.source, e.target], [e.target, e.source]].forEach(([a, b]) => {
      degree.set(a, (degree.get(a) || 0) + 1);
      if (!linked.has(a)) linked.set(a, []);
      if (linked.get(a).length < 5) linked.get(a).push(names.get(b) || b);
    }));
    const rows = lastData.nodes.map((n) => ({ id: n.id, name: n.name || n.id, type: T.types[n.type] || n.type,
      kind: n.type, region: (layout.regions[n.region] || { name: n.region || "" }).name, links: degree.get(n.id) || 0,
      linked: (linked.get(n.id) || []).join("; ") }));
    const cmp = sortKey === "links" ? (a, b) => a.links - b.links : (a, b) => String(a[sortKey]).localeCompare(String(b[sortKey]), cfg.locale, { numeric: true });  // "nr 4" before "nr 12", as the lists
    rows.sort((a, b) => (sortDown ? -1 : 1) * cmp(a, b));
    $("graph-table").querySelectorAll("th").forEach((th) =>
      th.setAttribute("aria-sort", th.dataset.key === sortKey ? (sortDown ? "descending" : "ascending") : "none"));
    const body = $("graph-table").tBodies[0];
    body.replaceChildren(...rows.map((r) => {
      const tr = el("tr");
      const name = el("td");
      if (r.kind === "meeting") name.textContent = r.name;
      else name.append(el("a", r.name, { href: `/${r.kind === "partnership" ? "partnerships" : "organisations"}/${r.id}` }));
      tr.append(name, el("td", r.type), el("td", r.region), el("td", String(r.links)), el("td", r.linked));
      return tr;
    }));
  }
  $("table-box").addEventListener("toggle", () => { if ($("table-box").open) table(); });
  $("graph-table").querySelectorAll("th button").forEach((button) => button.addEventListener("click", () => {
    const key = button.parentElement.dataset.key;
    sortDown = key === sortKey ? !sortDown : key === "links";
    sortKey = key;
    table();
  }));

  /* Compare two business dates: a link between two nodes that exists at one date only is added or removed;
     one that exists at both but consists of something else (a role, a confirmation, another kind) is changed. */
  $("compare").addEventListener("click", async () => {
    const from = $("compare-from").value, to = $("compare-to").value;
    if (!from || !to) return;
    asked += 1;  // an answer still on its way is not drawn over the comparison
    const [before, after] = (await Promise.all([fetchJSON(graphUrl(params({ valid_at: from }))),
                                                fetchJSON(graphUrl(params({ valid_at: to })))])).map(fromColumns);
    const key = (e) => `${e.source}|${e.target}|${e.key || e.kind || (e.kinds || []).join()}|${e.role || ""}`;
    const pair = (e) => [e.source, e.target].sort().join("|");
    const beforeNodes = new Set(before.nodes.map((n) => n.id)), afterNodes = new Set(after.nodes.map((n) => n.id));
    const beforeEdges = new Set(before.edges.map(key)), afterEdges = new Set(after.edges.map(key));
    const beforePairs = new Set(before.edges.map(pair)), afterPairs = new Set(after.edges.map(pair));
    const union = { nodes: after.nodes.slice(), edges: [] };
    before.nodes.forEach((n) => { if (!afterNodes.has(n.id)) union.nodes.push(n); });
    const els = [];
    union.nodes.forEach((n) => {
      const mark = !beforeNodes.has(n.id) ? "added" : !afterNodes.has(n.id) ? "removed" : "";
      els.push(...elements({ nodes: [n], edges: [] }, mark));
    });
    after.edges.forEach((e) => {
      const mark = beforeEdges.has(key(e)) ? "" : beforePairs.has(pair(e)) ? "changed" : "added";
      els.push(...elements({ nodes: [], edges: [e] }, mark));
    });
    before.edges.forEach((e) => {
      if (!afterEdges.has(key(e)) && !afterPairs.has(pair(e))) els.push(...elements({ nodes: [], edges: [e] }, "removed"));
    });
    comparing = true;
    draw(overview(els, false));
    status.textContent += ` · ${cy.elements(".added").length} ${T.added}, ${cy.elements(".removed").length} ${T.removed}` +
      `, ${cy.edges(".changed").length} ${T.changed}`;
  });
  $("compare-off").addEventListener("click", () => { comparing = false; load(); });

  /* PNG for a report: the title, the two dates shown, the picture and its legend in one image. */
  async function exportPng() {
    const shot = new Image();
    await new Promise((resolve, reject) => {
      shot.onload = resolve;
      shot.onerror = reject;
      shot.src = cy.png({ full: false, scale: 2 });  // what the person sees, sharp; the faint links lie under it
    });
    const picture = document.createElement("canvas");
    Object.assign(picture, { width: shot.width, height: shot.height });
    const under = picture.getContext("2d");
    under.fillStyle = "#fff";
    under.fillRect(0, 0, picture.width, picture.height);
    if (links.count) strokeLinks(under, shot.width / cy.width(), cy.zoom(), cy.pan());
    under.drawImage(shot, 0, 0);
    const items = [...$("legend").querySelectorAll("li")].map((li) => {
      const swatch = li.querySelector(".swatch");
      return { text: li.textContent.trim(), line: swatch.classList.contains("line") || swatch.classList.contains("dashed"),
               colour: swatch.style.background || swatch.style.borderTopColor || "#777" };
    });
    const HEAD = 100, LEGEND = 420, ROW = 26;
    const canvas = document.createElement("canvas");
    canvas.width = picture.width + LEGEND;
    canvas.height = Math.max(picture.height + HEAD, HEAD + 40 + items.length * ROW);
    const c = canvas.getContext("2d");
    c.fillStyle = "#fff";
    c.fillRect(0, 0, canvas.width, canvas.height);
    c.fillStyle = "#111";
    c.font = "bold 30px sans-serif";
    c.fillText(document.querySelector("h1").textContent, 24, 42);
    c.font = "20px sans-serif";
    const valid = $("use-valid-at").checked ? $("valid-at-label").textContent : cfg.today;
    c.fillText(T.exportDates.replace("{valid}", valid).replace("{known}", $("as-of-label").textContent) +
               " · " + status.textContent.split(" · ")[0], 24, 76);
    c.drawImage(picture, 0, HEAD);
    c.font = "18px sans-serif";
    items.forEach((item, i) => {
      const x = picture.width + 20, y = HEAD + 30 + i * ROW;
      c.fillStyle = c.strokeStyle = item.colour;
      if (item.line) { c.lineWidth = 4; c.beginPath(); c.moveTo(x, y - 6); c.lineTo(x + 28, y - 6); c.stroke(); }
      else c.fillRect(x, y - 16, 18, 18);
      c.fillStyle = "#111";
      c.fillText(item.text, x + 38, y);
    });
    const link = el("a", "", { download: "partner-graph.png", href: canvas.toDataURL("image/png") });
    document.body.append(link);
    link.click();
    link.remove();
  }
  /* SVG for a report: the same view as vectors — the links, nodes and labels the person sees, at their places —
     with the title, the two dates and the legend, so it prints and scales without blur. */
  function exportSvg() {
    const W = cy.width(), H = cy.height(), HEAD = 80, LEGEND = 380, ROW = 22, z = cy.zoom();
    const esc = (text) => String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
    const near = (p) => p.x >= -60 && p.x <= W + 60 && p.y >= -60 && p.y <= H + 60;
    const f = (x) => x.toFixed(1);
    const out = [];
    const pan = cy.pan();
    links.groups.forEach(({ look, xy }) => {  // the faint links of the overview, under everything else
      const dash = look["line-style"] === "dashed" ? ' stroke-dasharray="6 4"' : "";
      for (let i = 0; i < xy.length; i += 4) {
        const a = { x: xy[i] * z + pan.x, y: xy[i + 1] * z + pan.y }, b = { x: xy[i + 2] * z + pan.x, y: xy[i + 3] * z + pan.y };
        if (!near(a) && !near(b)) continue;
        out.push(`<line class="link" x1="${f(a.x)}" y1="${f(a.y + HEAD)}" x2="${f(b.x)}" y2="${f(b.y + HEAD)}" ` +
                 `stroke="${look["line-color"]}" stroke-width="${f(Math.max(0.5, look.width * z))}" ` +
                 `stroke-opacity="${linkOpacity()}"${dash}/>`);
      }
    });
    cy.edges(":visible").forEach((e) => {
      const a = e.renderedSourceEndpoint(), b = e.renderedTargetEndpoint();
      if (!near(a) && !near(b)) return;
      const dash = e.style("line-style") === "dashed" ? ' stroke-dasharray="6 4"' : "";
      out.push(`<line class="link" x1="${f(a.x)}" y1="${f(a.y + HEAD)}" x2="${f(b.x)}" y2="${f(b.y + HEAD)}" ` +
               `stroke="${e.style("line-color")}" stroke-width="${f(Math.max(0.5, parseFloat(e.style("width")) * z))}" ` +
               `stroke-opacity="${e.style("opacity")}"${dash}/>`);
    });
    cy.nodes(":visible").forEach((n) => {
      const p = n.renderedPosition();
      if (!near(p)) return;
      const x = p.x, y = p.y + HEAD, r = n.renderedWidth() / 2, label = n.style("label");
      if (!n.hasClass("region-label")) {
        const paint = `fill="${n.style("background-color")}" fill-opacity="${n.style("opacity")}"`;
        const shape = n.style("shape");
        if (shape === "diamond") {
          out.push(`<polygon class="node" points="${f(x)},${f(y - r)} ${f(x + r)},${f(y)} ${f(x)},${f(y + r)} ${f(x - r)},${f(y)}" ${paint}/>`);
        } else if (shape.endsWith("rectangle")) {
          out.push(`<rect class="node" x="${f(x - r)}" y="${f(y - r)}" width="${f(2 * r)}" height="${f(2 * r)}" ${paint}/>`);
        } else {
          out.push(`<circle class="node" cx="${f(x)}" cy="${f(y)}" r="${f(r)}" ${paint}/>`);
        }
      }
      if (label && (n.hasClass("labelled") || n.hasClass("region-label"))) {
        const below = n.hasClass("region-label") ? 0 : r + 12;
        out.push(`<text class="label" x="${f(x)}" y="${f(y + below)}" text-anchor="middle" font-size="12">${esc(label)}</text>`);
      }
    });
    const items = [...$("legend").querySelectorAll("li")].map((li) => {
      const swatch = li.querySelector(".swatch");
      return { text: li.textContent.trim(), line: swatch.classList.contains("line") || swatch.classList.contains("dashed"),
               colour: swatch.style.background || swatch.style.borderTopColor || "#777" };
    });
    const legend = items.map((item, i) => {
      const x = W + 20, y = HEAD + 30 + i * ROW;
      const mark = item.line ? `<line x1="${x}" y1="${y - 5}" x2="${x + 26}" y2="${y - 5}" stroke="${item.colour}" stroke-width="4"/>`
                             : `<rect x="${x}" y="${y - 14}" width="16" height="16" fill="${item.colour}"/>`;
      return `${mark}<text class="legend" x="${x + 34}" y="${y}" font-size="15">${esc(item.text)}</text>`;
    });
    const valid = $("use-valid-at").checked ? $("valid-at-label").textContent : cfg.today;
    const dates = T.exportDates.replace("{valid}", valid).replace("{known}", $("as-of-label").textContent) +
                  " · " + status.textContent.split(" · ")[0];
    const title = document.querySelector("h1").textContent;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W + LEGEND}" height="${Math.max(H + HEAD, HEAD + 40 + items.length * ROW)}" ` +
      `font-family="sans-serif"><title>${esc(title)}</title><rect width="100%" height="100%" fill="#fff"/>` +
      `<text class="title" x="20" y="34" font-size="26" font-weight="bold">${esc(title)}</text>` +
      `<text class="dates" x="20" y="62" font-size="16">${esc(dates)}</text>` + out.join("") + legend.join("") + "</svg>";
    const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
    const link = el("a", "", { download: "partner-graph.svg", href: url });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  $("dl-svg").addEventListener("click", (evt) => {
    evt.preventDefault();
    try { exportSvg(); } catch (error) { status.textContent = String(error.message || error); }
  });
  $("dl-png").addEventListener("click", (evt) => {
    evt.preventDefault();
    exportPng().catch((error) => { status.textContent = String(error.message || error); });
  });

  /* Play business time: the steps come from /api/graph/frames in one answer (each exactly the graph valid
     that day); every node and link of any step is drawn once at its fixed place, and each step only shows
     or hides elements, so the animation runs at the renderer's pace, not the server's. */
  const play = { data: null, edgeIds: [], step: 0, timer: null, interval: 100, shown: 0, started: 0, elapsed: 0 };
  window.hubPlay = play;
  function showStep(i) {
    const f = play.data.frames[i];
    const nodesOn = new Set(f.nodes.map((k) => play.data.nodes[k].id));
    const edgesOn = new Set(f.edges.map((k) => play.edgeIds[k]));
    // Only what changes state (setOff): toggling a class restyled an element even when it already was so, which
    // restyled all ~3,300 elements every step (~100 ms a step at 1,000 partnerships).
    const on = [], off = [];
    cy.nodes().not(".region-label").forEach((n) => (nodesOn.has(n.id()) ? on : off).push(n));
    cy.edges().forEach((e) => (edgesOn.has(e.id()) ? on : off).push(e));
    cy.batch(() => { setOff(off, true); setOff(on, false); });
    $("valid-at-label").textContent = f.day;
    validAt.value = String(Math.round((new Date(f.day + "T00:00:00Z") - FIRST_DAY) / DAY));
    status.textContent = T.playing.replace("{day}", f.day).replace("{i}", i + 1).replace("{n}", play.data.frames.length);
    play.shown += 1;
    play.elapsed = performance.now() - play.started;
  }
  function stopPlaying() {
    cancelAnimationFrame(play.timer);
    play.timer = null;
    $("play").textContent = T.play;
    $("play").setAttribute("aria-pressed", "false");
  }
  function tick(now) {
    if (play.step >= play.data.frames.length) { stopPlaying(); return; }
    if (!play.last || now - play.last >= play.interval) {
      play.last = now;
      showStep(play.step);
      play.step += 1;
    }
    play.timer = requestAnimationFrame(tick);
  }
  async function startPlaying() {
    asked += 1;  // an answer still on its way is not drawn over the steps
    const p = params({ valid_at: null });
    p.set("from", isoDay(FIRST_DAY));
    p.set("to", cfg.today);
    p.set("step", $("play-step").value);
    status.textContent = T.preparing;
    try { play.data = await fetchJSON("/api/graph/frames?" + p); } catch (error) { status.textContent = String(error.message || error); return; }
    const els = elements({ nodes: play.data.nodes, edges: play.data.edges });
    play.edgeIds = els.filter((e) => e.group === "edges").map((e) => e.data.id);
    lastData = { nodes: play.data.nodes, edges: play.data.edges };
    draw(overview(els, false));
    Object.assign(play, { step: 0, shown: 0, last: 0, started: performance.now(), elapsed: 0 });
    $("play").textContent = T.pause;
    $("play").setAttribute("aria-pressed", "true");
    play.timer = requestAnimationFrame(tick);
  }
  $("play").addEventListener("click", () => {
    if (play.timer !== null) stopPlaying();
    else if (play.data && play.step > 0 && play.step < play.data.frames.length) {
      $("play").textContent = T.pause;
      $("play").setAttribute("aria-pressed", "true");
      play.timer = requestAnimationFrame(tick);
    } else startPlaying();
  });

  /* Record time looks ahead: the moments next to the one shown are asked for once it is drawn, and the one a
     dragged slider rests on before it is let go, so the next step or the release finds its answer here (the
     server computes a past moment's view once, ~120 ms at 1,000 partnerships, and the page parses ~5 MB).
     Only after the person moved the slider: a page that is merely opened asks for nothing more. */
  const recordTimeUrl = (tick) => graphUrl(params({ as_of: tick >= cfg.ticks.length - 1 ? null : String(cfg.ticks[tick][0]) }));
  const lookAhead = (url) => { answer(url).catch(() => {}); };  // an error shows when the moment is drawn
  let restingTimer = null, lookAheadTimer = null;
  function nextMoments() {
    const tick = Number($("as-of").value);
    [tick - 1, tick + 1].filter((t) => t >= 0 && t < cfg.ticks.length).forEach((t) => lookAhead(recordTimeUrl(t)));
  }

  const validAt = $("valid-at"), asOf = $("as-of");
  validAt.max = String(Math.round((new Date(cfg.today + "T00:00:00Z") - FIRST_DAY) / DAY));
  validAt.value = validAt.max;
  $("valid-at-label").textContent = dayFromSlider();
  $("use-valid-at").addEventListener("change", (evt) => { validAt.disabled = !evt.target.checked; load(); });
  validAt.addEventListener("input", () => { $("valid-at-label").textContent = dayFromSlider(); });
  validAt.addEventListener("change", load);
  const recordedBy = () => (Number(asOf.value) >= cfg.ticks.length - 1 ? T.now
    : cfg.ticks[Number(asOf.value)][1].replace("T", " ").replace("+00:00", " UTC"));
  asOf.addEventListener("input", () => {
    $("as-of-label").textContent = recordedBy();
    clearTimeout(restingTimer);
    restingTimer = setTimeout(() => lookAhead(recordTimeUrl(Number(asOf.value))), 150);
  });
  asOf.addEventListener("change", async () => {
    clearTimeout(restingTimer);
    await load();
    // Once the person rests a moment: asked for at once, they kept the server busy when the next change
    // came right after (two workers computing the neighbours of a moment already left).
    lookAheadTimer = setTimeout(nextMoments, 300);
  });
  /* Zoom by buttons as well as by wheel or pinch (a keyboard reaches them), and back to all that the answer shows
     after a search, a path or a wheel zoomed in. */
  const zoomBy = (factor) => cy.animate({ zoom: { level: Math.min(cy.maxZoom(), Math.max(cy.minZoom(), cy.zoom() * factor)),
    renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } } }, { duration: 200 });
  $("zoom-in").addEventListener("click", () => zoomBy(1.5));
  $("zoom-out").addEventListener("click", () => zoomBy(1 / 1.5));
  $("zoom-fit").addEventListener("click", () => {
    const shown = cy.nodes().not(".region-label").filter(notOff);
    cy.animate({ fit: { eles: shown.nonempty() ? shown : cy.nodes(), padding: 30 } }, { duration: 300 });
  });
  $("two-hops").addEventListener("change", () => { const f = cy.nodes(".focus"); if (f.length) focus(f[0]); });
  form.querySelectorAll("input[name=view], input[name=kind], #confirmed-only, #region, #area, #colour, #size, .structure")
      .forEach((input) => input.addEventListener("change", load));
  load();
})();
