// The Prices page: recompute each bundle's total as a price is typed (no library needed).
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

  const partRange = (key) => {
    const price = amount(`components.${key}.price`);
    if (price !== undefined) {
      return price === null ? null : [price, price];
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

  const update = () => {
    for (const output of form.querySelectorAll("[data-bundle-total]")) {
      let low = 0;
      let high = 0;
      let unclear = false;
      for (const key of output.dataset.parts.split(" ")) {
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
  update();
});
