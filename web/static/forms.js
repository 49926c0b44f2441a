/* Forms: pickers that search names on the server (thousands of organisations), "add another"
   for lists, and focus on the error summary. Without JavaScript every field still works: a
   picker takes a whole name (diacritics optional) or an id, and each list shows empty rows. */
(() => {
  "use strict";
  const el = (tag, text, attrs) => {
    const e = document.createElement(tag);
    if (text) e.textContent = text;
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    return e;
  };

  function picker(input) {
    window.hubCombobox(input, {
      options: async (text) => {
        const q = text.trim();
        if (q.length < 2) return [];
        const answer = await fetch(`/suggest?kinds=${encodeURIComponent(input.dataset.kinds)}&q=${encodeURIComponent(q)}`,
          { headers: { Accept: "application/json" } });
        return answer.ok ? answer.json() : [];
      },
      label: (o) => (o.detail ? `${o.name} · ${o.detail}` : o.name),
      choose: (o) => { input.value = o.unique ? o.name : o.id; },  // a name two records share: the id
    });
  }

  /* "Add another": copies the last row of a list with the next index in every name and id. */
  function addAnother(box) {
    const rows = () => box.querySelectorAll(":scope > .combo, :scope > fieldset.row");
    const button = el("button", box.dataset.more, { type: "button", class: "more" });
    button.addEventListener("click", () => {
      const all = rows(), last = all[all.length - 1], n = all.length;
      const copy = last.cloneNode(true);
      const bump = (s) => s.replace(/\.(\d+)(?=(\.|-|$))/, `.${n}`);
      copy.querySelectorAll("[name],[id],[for],[aria-controls],[aria-describedby]").forEach((e) => {
        ["name", "id", "for", "aria-controls", "aria-describedby"].forEach((a) => {
          if (e.hasAttribute(a)) e.setAttribute(a, bump(e.getAttribute(a)));
        });
        if ("value" in e && e.type !== "checkbox") e.value = "";
        if (e.getAttribute("role") === "listbox") { e.replaceChildren(); e.hidden = true; }
      });
      copy.querySelectorAll(".field-error").forEach((e) => e.remove());
      copy.querySelectorAll("legend, label.sr-only").forEach((e) => { e.textContent = e.textContent.replace(/\d+\s*$/, String(n + 1)); });
      last.after(copy);
      copy.querySelectorAll("input.picker").forEach(picker);
      (copy.querySelector("input, select, textarea") || button).focus();
    });
    box.append(button);
  }

  document.querySelectorAll("input.picker").forEach(picker);
  document.querySelectorAll("fieldset.refs, fieldset.rows").forEach(addAnother);
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
