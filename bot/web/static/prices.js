// The Prices page: recompute each bundle's total as a price is typed or a part is ticked, and
// show a part's one price or its range as "Priced as" says (no library needed).
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-prices]");
  if (!form) {
    return;
  }
  const symbol = form.dataset.currency || "";

  const amount = (name) => {
    const input = form.elements.namedItem(name);
    if (!input) {
      return undefined;
    }
    const text = input.value.trim();
    return /^\d+(\.\d+)?$/.test(text) ? Number(text) : null;
  };

  const kindOf = (key) => {
    const control = form.elements.namedItem(`kind:components.${key}`);
    return control ? control.value : "single";
  };

  const partRange = (key) => {
    if (kindOf(key) === "single") {
      const price = amount(`components.${key}.price`);
      return price == null ? null : [price, price];
    }
    const low = amount(`components.${key}.min`);
    const high = amount(`components.${key}.max`);
    return low == null || high == null ? null : [low, high];
  };

  const money = (value) => symbol + value.toLocaleString("en-US", { maximumFractionDigits: 2 });

  // Written as the bot writes it (bot.pricing.format_range): "free", "$95" or "$95–$120".
  const written = (low, high) => {
    if (high === 0) {
      return "free";
    }
    return low === high ? money(low) : `${money(low)}–${money(high)}`;
  };

  const chosenParts = (bundle) => {
    const chosen = [];
    for (const input of form.querySelectorAll(`[data-bundle-parts="${bundle}"] input:checked`)) {
      chosen.push(input.value);
    }
    const added = form.querySelector(`[data-bundle-parts="${bundle}"] select`);
    if (added && added.value && !chosen.includes(added.value)) {
      chosen.push(added.value);
    }
    return chosen;
  };

  const showKinds = () => {
    for (const control of form.querySelectorAll("select[data-kind]")) {
      const card = control.closest("fieldset");
      for (const group of card.querySelectorAll("[data-kind-fields]")) {
        group.hidden = group.dataset.kindFields !== control.value;
      }
    }
  };

  // A part switched over starts from its old price, so the totals stay meaningful.
  const switchKind = (control) => {
    const base = control.name.slice("kind:".length);
    const field = (name) => form.elements.namedItem(`${base}.${name}`);
    if (control.value === "range") {
      for (const name of ["min", "max"]) {
        if (!field(name).value.trim()) {
          field(name).value = field("price").value;
        }
      }
    } else if (!field("price").value.trim() && field("min").value === field("max").value) {
      field("price").value = field("min").value;
    }
  };

  const update = () => {
    for (const output of form.querySelectorAll("[data-bundle-total]")) {
      const bundle = output.id.slice("total-".length);
      if (form.querySelector(`[data-bundle-parts="${bundle}"]`)) {
        output.dataset.parts = chosenParts(bundle).join(" ");
      }
      let low = 0;
      let high = 0;
      let unclear = false;
      for (const key of output.dataset.parts.split(" ").filter(Boolean)) {
        const range = partRange(key);
        if (range === null) {
          unclear = true;
          break;
        }
        low += range[0];
        high += range[1];
      }
      output.textContent = unclear ? "? (a price above is not a number)" : written(low, high);
    }
  };

  form.addEventListener("input", update);
  form.addEventListener("change", (event) => {
    if (event.target.matches("select[data-kind]")) {
      switchKind(event.target);
      showKinds();
    }
    update();
  });
  showKinds();
  update();
});
