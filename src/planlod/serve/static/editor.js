// A small SPARQL editor: examples, run, results as a table. No CDN, no framework; text is inserted with
// textContent only, so nothing in a result can become markup.
"use strict";
const endpoint = new URL("../sparql", window.location.href);

function cell(term) {
  if (!term) return document.createTextNode("");
  if (term.type === "uri") {
    const a = document.createElement("a");
    a.href = term.value;
    a.textContent = term.value;
    return a;
  }
  const text = term["xml:lang"] ? `${term.value} @${term["xml:lang"]}` : term.value;
  return document.createTextNode(text);
}

function showTable(data) {
  const box = document.getElementById("results");
  box.replaceChildren();
  if (typeof data.boolean === "boolean") {
    box.textContent = String(data.boolean);
    return;
  }
  const table = document.createElement("table");
  table.id = "results-table";
  const head = table.createTHead().insertRow();
  for (const name of data.head.vars) {
    const th = document.createElement("th");
    th.textContent = name;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const binding of data.results.bindings) {
    const row = body.insertRow();
    for (const name of data.head.vars) row.insertCell().appendChild(cell(binding[name]));
  }
  box.appendChild(table);
}

async function run() {
  const status = document.getElementById("status");
  status.textContent = "…";
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ query: document.getElementById("query").value }),
  });
  const text = await response.text();
  if (!response.ok) {
    status.textContent = `${response.status}`;
    const error = document.createElement("p");
    error.className = "error";
    try { error.textContent = JSON.parse(text).error; } catch { error.textContent = text; }
    document.getElementById("results").replaceChildren(error);
    return;
  }
  const data = JSON.parse(text);
  showTable(data);
  const rows = data.results ? data.results.bindings.length : 1;
  const truncated = response.headers.get("X-Planlod-Truncated") === "true" ? " (truncated)" : "";
  status.textContent = `${rows} rows${truncated}`;
}

async function loadExamples() {
  const response = await fetch("examples.json");
  if (!response.ok) return;
  const examples = await response.json();
  const select = document.getElementById("examples");
  for (const example of examples) {
    const option = document.createElement("option");
    option.value = example.name;
    option.textContent = `${example.name}: ${example.purpose}`;
    select.appendChild(option);
  }
  select.addEventListener("change", () => {
    const chosen = examples.find((e) => e.name === select.value);
    if (chosen) document.getElementById("query").value = chosen.text;
  });
}

document.getElementById("run").addEventListener("click", run);
loadExamples();
