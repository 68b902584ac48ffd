#!/usr/bin/env bash
# Refreshes the Oxigraph build that the site's SPARQL editor runs in the browser (WebAssembly), from the npm
# registry: src/planlod/publish/static/oxigraph/{web.js,web_bg.wasm}, their SHA256SUMS and NOTICE.
# Usage: scripts/vendor-oxigraph.sh [version]; then set OXIGRAPH_JS in src/planlod/publish/editor.py.
set -euo pipefail
version="${1:-0.5.11}"
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "oxigraph@$version" --silent >/dev/null && tar xzf "oxigraph-$version.tgz")
dest=src/planlod/publish/static/oxigraph
cp "$tmp/package/web.js" "$tmp/package/web_bg.wasm" "$dest/"
(cd "$dest" && sha256sum web.js web_bg.wasm > SHA256SUMS)
cat > "$dest/NOTICE" <<NOTICE
Oxigraph $version for JavaScript (npm package "oxigraph": web.js, web_bg.wasm), https://github.com/oxigraph/oxigraph
Licensed under MIT OR Apache-2.0, at your option. Shipped unchanged; refreshed by scripts/vendor-oxigraph.sh.
NOTICE
echo "oxigraph $version -> $dest"
