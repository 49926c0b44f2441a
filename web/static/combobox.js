"use strict";
/* One ARIA combobox (WAI-ARIA 1.2 list autocomplete) for every name field: the graph's search
   and path ends, and the forms' pickers. ``hubCombobox(input, {options, label, choose})``:
   ``options(text)`` gives (or promises) the suggestions for what was typed, ``label(o)`` words
   one, ``choose(o)`` takes the one picked with the mouse, Enter or the arrow keys. */
window.hubCombobox = (input, { options, label, choose }) => {
  const list = document.getElementById(input.id + "-list");
  let shown = [], active = -1, asked = 0;
  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };
  const pick = (o) => { close(); choose(o); };
  const mark = () => list.querySelectorAll("li").forEach((li, i) => {
    li.setAttribute("aria-selected", String(i === active));
    if (i === active) { input.setAttribute("aria-activedescendant", li.id); li.scrollIntoView({ block: "nearest" }); }
  });
  input.addEventListener("input", async () => {
    const ticket = ++asked;
    const found = await options(input.value);
    if (ticket !== asked) return;  // a later keystroke asked again
    shown = found || [];
    active = -1;
    list.replaceChildren(...shown.map((o, i) => {
      const li = document.createElement("li");
      li.textContent = label(o);
      li.setAttribute("role", "option");
      li.id = `${input.id}-opt-${i}`;
      li.setAttribute("aria-selected", "false");
      li.addEventListener("mousedown", (evt) => { evt.preventDefault(); pick(o); });
      return li;
    }));
    list.hidden = shown.length === 0;
    input.setAttribute("aria-expanded", String(shown.length > 0));
  });
  input.addEventListener("keydown", (evt) => {
    if (list.hidden) return;
    if (evt.key === "ArrowDown" || evt.key === "ArrowUp") {
      evt.preventDefault();
      active = (active + (evt.key === "ArrowDown" ? 1 : shown.length - 1)) % shown.length;
      mark();
    } else if (evt.key === "Enter" && shown.length) {
      evt.preventDefault();
      pick(shown[Math.max(active, 0)]);
    } else if (evt.key === "Escape") close();
  });
  input.addEventListener("blur", close);
};
