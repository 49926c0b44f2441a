/* The dashboard's trend: one small chart per measure over the quarters, from /api/trends; the table
   below is the same data as text. Charts are inline SVG with a title and the values in a tooltip. */
(function () {
  "use strict";
  const cfg = JSON.parse(document.getElementById("trend-config").textContent);
  const status = document.getElementById("trends-status");
  const charts = document.getElementById("trend-charts");
  const body = document.querySelector("#trend-table tbody");
  const SVG = "http://www.w3.org/2000/svg";
  const W = 260, H = 90, PAD = 6;

  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function chart(key, label, rows) {
    const values = rows.map((r) => r[key]);
    const max = Math.max(1, ...values);
    const x = (i) => PAD + (rows.length < 2 ? 0 : (i * (W - 2 * PAD)) / (rows.length - 1));
    const y = (v) => H - PAD - ((H - 2 * PAD) * v) / max;
    const figure = document.createElement("figure");
    figure.className = "trend";
    const id = "trend-" + key;
    const picture = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": id + "-cap" });
    picture.append(svg("polyline", { points: values.map((v, i) => `${x(i)},${y(v)}`).join(" "), fill: "none",
                                      stroke: "#1f5fa8", "stroke-width": 2 }));
    values.forEach((v, i) => {
      const dot = svg("circle", { cx: x(i), cy: y(v), r: 2.5, fill: "#1f5fa8" });
      dot.append(svg("title", {}, `${rows[i].quarter}: ${v}`));
      picture.append(dot);
    });
    const last = values.length ? values[values.length - 1] : 0;
    const caption = document.createElement("figcaption");
    caption.id = id + "-cap";
    caption.textContent = `${label}: ${rows.length ? rows[0].quarter + " " + values[0] + " → " + rows[rows.length - 1].quarter + " " + last : "—"}`;
    figure.append(caption, picture);
    return figure;
  }

  fetch(cfg.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((r) => r.ok ? r.json() : r.json().then((p) => { throw new Error(p.detail || r.statusText); }))
    .then((data) => {
      const rows = data.quarters;
      charts.replaceChildren(...cfg.columns.filter(([k]) => k !== "quarter" && k !== "day")
        .map(([key, label]) => chart(key, label, rows)));
      body.replaceChildren(...rows.slice().reverse().map((r) => {
        const tr = document.createElement("tr");
        cfg.columns.forEach(([key]) => { const td = document.createElement("td"); td.textContent = r[key]; tr.append(td); });
        return tr;
      }));
      status.textContent = "";
      charts.dataset.loaded = "1";
    })
    .catch((error) => { status.textContent = cfg.failed.replace("{error}", String(error.message || error)); });
})();
