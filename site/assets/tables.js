// Sorting and filtering of the site's tables, and the site search. Small, no dependencies; the pages work
// without it (the tables are complete and in a sensible order as written). Text is set with textContent only.
"use strict";

function cellValue(row, column) {
  const cell = row.cells[column];
  const text = cell ? cell.innerText.trim() : "";
  const number = Number(text.replace(/[,%]/g, ""));
  return text !== "" && !Number.isNaN(number) ? number : text;
}

function makeSortable(table) {
  const head = table.tHead;
  if (!head || !table.tBodies.length) return;
  [...head.rows[0].cells].forEach((th, column) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.append(...th.childNodes);
    th.appendChild(button);
    button.addEventListener("click", () => {
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      for (const other of head.rows[0].cells) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const body = table.tBodies[0];
      const rows = [...body.rows];
      rows.sort((a, b) => {
        const x = cellValue(a, column);
        const y = cellValue(b, column);
        const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "ja");
        return ascending ? order : -order;
      });
      body.append(...rows);
    });
  });
}

function addFilter(box) {
  const table = box.querySelector("table");
  if (!table) return;
  const label = document.createElement("label");
  label.className = "filter";
  label.textContent = "絞り込み Filter ";
  const input = document.createElement("input");
  input.type = "search";
  label.appendChild(input);
  const count = document.createElement("span");
  count.className = "note";
  count.setAttribute("aria-live", "polite");
  box.before(label, count);
  input.addEventListener("input", () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const row of table.tBodies[0].rows) {
      const text = row.innerText.toLowerCase();
      row.hidden = !words.every((w) => text.includes(w));
      if (!row.hidden) shown += 1;
    }
    count.textContent = words.length ? ` ${shown} / ${table.tBodies[0].rows.length}` : "";
  });
}

async function search(box) {
  const input = box.querySelector("input");
  const list = box.querySelector("ol");
  const status = box.querySelector("[role=status]");
  const root = new URL(box.dataset.root, window.location.href);
  const response = await fetch(new URL("search/index.json", root));
  const entries = response.ok ? await response.json() : [];
  const run = () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    const found = words.length ? entries.filter((e) => words.every((w) => e.text.toLowerCase().includes(w))) : [];
    list.replaceChildren(...found.slice(0, 200).map((e) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = new URL(e.href, root).href;
      link.textContent = e.label;
      const kind = document.createElement("span");
      kind.className = "note";
      kind.textContent = ` ${e.kind}${e.context ? " · " + e.context : ""}`;
      item.append(link, kind);
      return item;
    }));
    status.textContent = words.length ? `${found.length} 件 found` : "";
    const url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    history.replaceState(null, "", url);
  };
  input.addEventListener("input", run);
  input.value = new URLSearchParams(window.location.search).get("q") || "";
  run();
}

document.querySelectorAll("table.sortable").forEach(makeSortable);
document.querySelectorAll(".filter-target").forEach(addFilter);
document.querySelectorAll("#search").forEach(search);
