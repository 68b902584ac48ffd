"""Conformance of the published files: each CSV against its CSV on the Web metadata (with the `csvw`
package, a validator independent of planlod), and each JSON-LD document, including those embedded in the
pages, expanded by a conformant processor (pyld) that may not fetch anything from the network."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any

from . import Failure, Rule, RuleResult

CSVW = Rule("csvw:valid", "Each CSV validates against its CSVW metadata (csvw, strict)",
            "https://www.w3.org/TR/tabular-data-model/#validating-tables")
JSONLD = Rule("jsonld:expands", "Each JSON-LD document expands, without remote contexts (pyld)",
              "https://www.w3.org/TR/json-ld11-api/#expansion-algorithm")
EMBEDDED = Rule("jsonld:embedded", "The JSON-LD embedded in each page expands (pyld)",
                "https://www.w3.org/TR/json-ld11/#embedding-json-ld-in-html-documents")
_SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _offline(url: str, options: Any = None) -> Any:
    from pyld import jsonld

    raise jsonld.JsonLdError(f"remote document refused: {url}", "jsonld.LoadDocumentError",
                             code="loading document failed")


def _expand(document: Any) -> str:
    """'' when the document expands to something, else why not."""
    from pyld import jsonld

    try:
        expanded = jsonld.expand(document, {"documentLoader": _offline})
    except Exception as err:  # pyld raises JsonLdError and, on malformed input, plain exceptions
        return str(err).split("\n")[0][:300]
    return "" if expanded else "expands to nothing"


def check_csvw(site: Path) -> RuleResult:
    from csvw.metadata import CSVW as Reader

    failures = []
    for metadata in sorted(site.glob("data/*.csv-metadata.json")):
        relative = str(metadata.relative_to(site))
        try:
            with warnings.catch_warnings():
                # the validator reports through warnings: each must reach it, not only the first per place
                warnings.simplefilter("always")
                reader = Reader(str(metadata), validate=True)
                valid = reader.is_valid
            if not valid:
                failures.append(Failure(relative, "; ".join(str(w.message) for w in reader.warnings)[:500]))
        except Exception as err:  # the csvw package raises ValueError and others on unreadable tables
            failures.append(Failure(relative, str(err)[:300]))
    return RuleResult(CSVW, tuple(failures))


def check_jsonld_file(site: Path, path: Path) -> RuleResult:
    why = _expand(json.loads(path.read_text(encoding="utf-8")))
    return RuleResult(JSONLD, (Failure(str(path.relative_to(site)), why),) if why else ())


def _embedded_failures(site: Path, page: Path) -> list[Failure]:
    failures = []
    for number, script in enumerate(_SCRIPT.findall(page.read_text(encoding="utf-8")), 1):
        try:
            why = _expand(json.loads(script))
        except json.JSONDecodeError as err:
            why = f"not JSON: {err}"
        if why:
            failures.append(Failure(f"{page.relative_to(site)}#script-{number}", why))
    return failures


def check_embedded_file(site: Path, page: Path) -> RuleResult:
    return RuleResult(EMBEDDED, tuple(_embedded_failures(site, page)))


def check_jsonld(site: Path) -> tuple[RuleResult, ...]:
    documents = []
    for path in sorted(site.rglob("*.jsonld")):
        if path.name == "context.jsonld":
            continue  # a context, not a document
        why = _expand(json.loads(path.read_text(encoding="utf-8")))
        if why:
            documents.append(Failure(str(path.relative_to(site)), why))
    embedded = [f for page in sorted(site.rglob("*.html")) for f in _embedded_failures(site, page)]
    return RuleResult(JSONLD, tuple(documents)), RuleResult(EMBEDDED, tuple(embedded))
