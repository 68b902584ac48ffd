// The SPARQL editor of a planlod site. Against `planlod serve` it sends queries to the endpoint; on a static
// host it runs them in the browser, with Oxigraph compiled to WebAssembly (shipped in assets/oxigraph, no CDN)
// over the site's own dump. Text from results is only ever set with textContent, links only http(s) or local.
"use strict";

const page = document.getElementById("editor");
const root = new URL(page.dataset.root, window.location.href);
const base = page.dataset.base;             // IRIs under it have a page here: {base}id/x -> doc/x/index.html
const dumpUrl = new URL(page.dataset.dump, root);
const dumpBytes = Number(page.dataset.dumpBytes);
const limitBytes = Number(page.dataset.limitBytes);
const endpoint = new URL("sparql", root);
const $ = (id) => document.getElementById(id);
let engine = null;      // {name, query(text) -> Promise<SPARQL JSON results>}

function say(text) { $("status").textContent = text; }

async function endpointEngine() {
  // The site says there is no endpoint (a static host); `planlod serve` answers this file itself.
  try {
    const said = await fetch(new URL("sparql-editor/endpoint.json", root), { cache: "no-store" });
    if (!said.ok || !(await said.json()).endpoint) return null;
  } catch { return null; }
  return {
    name: "endpoint",
    async query(text) {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: { Accept: "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ query: text }),
      });
      const body = await response.text();
      if (!response.ok) {
        let message = body;
        try { message = JSON.parse(body).error; } catch { /* not JSON: show the text */ }
        throw new Error(`${response.status}: ${message}`);
      }
      return JSON.parse(body);
    },
  };
}

async function browserEngine() {
  if (dumpBytes > limitBytes) {
    throw new Error(`このサイトのデータ(${(dumpBytes / 1e6).toFixed(1)} MB)はブラウザで読むには大きすぎます` +
      ` (limit ${(limitBytes / 1e6).toFixed(0)} MB): use planlod serve or the SPARQL endpoint.`);
  }
  say(`データを読み込み中… Loading the data in your browser (${(dumpBytes / 1e6).toFixed(1)} MB)`);
  const oxigraph = await import(new URL("assets/oxigraph/web.js", root));
  await oxigraph.default({ module_or_path: new URL("assets/oxigraph/web_bg.wasm", root) });
  const response = await fetch(dumpUrl);
  if (!response.ok) throw new Error(`${dumpUrl}: ${response.status}`);
  const store = new oxigraph.Store();
  store.load(await response.text(), { format: "application/n-quads" });
  return {
    name: "browser",
    async query(text) {
      const out = store.query(text, { use_default_graph_as_union: true, results_format: "json" });
      if (typeof out !== "string") throw new Error("only SELECT and ASK queries give a table here");
      return JSON.parse(out);
    },
  };
}

async function ready() {
  if (engine) return engine;
  engine = await endpointEngine();
  if (!engine) engine = await browserEngine();
  $("mode").textContent = engine.name === "endpoint"
    ? "エンドポイントで実行 Runs on the SPARQL endpoint"
    : "ブラウザ内で実行(WebAssembly) Runs in your browser (Oxigraph, WebAssembly)";
  return engine;
}

function localHref(iri) {
  if (base && iri.startsWith(base + "id/") && iri.length > base.length + 3) {
    return new URL("doc/" + iri.slice(base.length + 3) + "/index.html", root).href;
  }
  return /^https?:\/\//.test(iri) ? iri : null;
}

const NUMERIC = /#(integer|decimal|double|float|int|long|short|nonNegativeInteger|positiveInteger)$/;

function cell(row, term, labels) {
  const td = row.insertCell();
  if (!term) return;
  if (term.type === "uri") {
    const href = localHref(term.value);
    const label = labels.get(term.value);
    const node = document.createElement(href ? "a" : "span");
    if (href) node.href = href;
    node.textContent = label || term.value;
    if (label) node.title = term.value;
    td.appendChild(node);
    return;
  }
  td.textContent = term.value;
  if (term["xml:lang"]) td.lang = term["xml:lang"];
  if (term.datatype && NUMERIC.test(term.datatype)) td.className = "num";
}

async function labelsOf(data) {
  const iris = new Set();
  for (const b of data.results.bindings) for (const t of Object.values(b)) if (t.type === "uri") iris.add(t.value);
  const labels = new Map();
  if (!iris.size || iris.size > 500) return labels;
  const values = [...iris].map((i) => `<${i.replace(/[<>"{}|^`\\\s]/g, "")}>`).join(" ");
  const text = `PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX dct: <http://purl.org/dc/terms/>
    SELECT ?s ?l WHERE { VALUES ?s { ${values} } ?s skos:prefLabel|rdfs:label|dct:title ?l
      FILTER(lang(?l) = "ja" || lang(?l) = "") }`;
  try {
    const found = await engine.query(text);
    for (const b of found.results.bindings) if (!labels.has(b.s.value)) labels.set(b.s.value, b.l.value);
  } catch { /* labels are a help, not a need */ }
  return labels;
}

async function show(data) {
  const box = $("results");
  box.replaceChildren();
  if (typeof data.boolean === "boolean") {
    box.textContent = String(data.boolean);
    return 1;
  }
  const labels = await labelsOf(data);
  const scroll = document.createElement("div");
  scroll.className = "scroll";
  scroll.tabIndex = 0;
  const table = document.createElement("table");
  table.id = "results-table";
  const head = table.createTHead().insertRow();
  for (const name of data.head.vars) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = name;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const binding of data.results.bindings) {
    const row = body.insertRow();
    for (const name of data.head.vars) cell(row, binding[name], labels);
  }
  scroll.appendChild(table);
  box.appendChild(scroll);
  return data.results.bindings.length;
}

function csvOf(data) {
  const quote = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [data.head.vars.map(quote).join(",")];
  for (const b of data.results.bindings) lines.push(data.head.vars.map((v) => quote(b[v] ? b[v].value : "")).join(","));
  return lines.join("\r\n") + "\r\n";
}

function offerDownloads(data) {
  for (const [id, type, text] of [
    ["download-csv", "text/csv", data.results ? csvOf(data) : `${data.boolean}\r\n`],
    ["download-json", "application/sparql-results+json", JSON.stringify(data, null, 1)],
  ]) {
    const link = $(id);
    if (link.href.startsWith("blob:")) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(new Blob([text], { type }));
    link.hidden = false;
  }
}

async function run() {
  const text = $("query").value;
  const url = new URL(window.location.href);
  url.searchParams.delete("example");
  url.searchParams.set("query", text);
  history.replaceState(null, "", url);
  $("permalink").href = url.href;
  $("run").disabled = true;
  say("…");
  try {
    await ready();
    say("実行中… Running");
    const data = await engine.query(text);
    const rows = await show(data);
    offerDownloads(data);
    say(`${rows} rows`);
  } catch (error) {
    const message = document.createElement("p");
    message.className = "error";
    message.setAttribute("role", "alert");
    message.textContent = `問い合わせに失敗しました Query failed: ${error.message || error}`;
    $("results").replaceChildren(message);
    say("エラー Error");
  } finally {
    $("run").disabled = false;
  }
}

async function loadExamples() {
  const response = await fetch(new URL("sparql-editor/examples.json", root));
  const examples = response.ok ? await response.json() : [];
  const select = $("examples");
  for (const example of examples) {
    const option = document.createElement("option");
    option.value = example.name;
    option.textContent = example.name;
    option.title = example.purpose;
    select.appendChild(option);
  }
  const choose = (name) => {
    const chosen = examples.find((e) => e.name === name);
    if (!chosen) return false;
    select.value = name;
    $("query").value = chosen.text;
    $("purpose").textContent = chosen.purpose;
    return true;
  };
  select.addEventListener("change", () => choose(select.value));
  const params = new URLSearchParams(window.location.search);
  if (params.has("query")) {
    $("query").value = params.get("query");
    run();
  } else if (params.has("example") && choose(params.get("example"))) {
    run();
  }
}

$("run").addEventListener("click", run);
$("query").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    run();
  }
});
loadExamples();
