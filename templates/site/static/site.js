/* hlsp landing pages: the collection filter (index) and the BibTeX copy
   button (collection pages).  No libraries, no network; the pages work
   without it (the filter box is then inert, the copy button stays hidden). */
"use strict";

function setupFilter() {
  const box = document.getElementById("filter");
  if (!box) return;
  const items = Array.from(document.querySelectorAll("[data-filter-item]"));
  const status = document.getElementById("filter-status");
  const none = document.getElementById("no-match");
  const texts = items.map((item) => item.textContent.toLowerCase());
  const apply = () => {
    const words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    items.forEach((item, i) => {
      const match = words.every((w) => texts[i].includes(w));
      item.hidden = !match;
      if (match) shown += 1;
    });
    status.textContent = `${shown} of ${items.length} collections shown`;
    none.hidden = shown > 0;
  };
  box.addEventListener("input", apply);
  apply();
}

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // file:// pages and old browsers: copy through a temporary text area
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("copy refused");
}

function setupCopy() {
  const button = document.getElementById("copy-bibtex");
  if (!button) return;
  const source = document.getElementById(button.dataset.copyTarget);
  const status = document.getElementById("copy-status");
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await copyText(source.textContent);
      status.textContent = "Copied to the clipboard.";
    } catch (err) {
      status.textContent = "Could not copy; select the text and copy it by hand.";
    }
  });
}

function setupHashCopy() {
  // the product table shows a short SHA-256; its button copies the full value
  const status = document.getElementById("copy-status");
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await copyText(button.dataset.copy);
        button.textContent = "Copied";
        if (status) status.textContent = "SHA-256 copied to the clipboard.";
      } catch (err) {
        if (status) status.textContent = "Could not copy; hover over the hash to read it in full.";
      }
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  setupFilter();
  setupCopy();
  setupHashCopy();
});
