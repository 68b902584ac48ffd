"""Where the files planlod ships with live: vocabulary, shapes, queries and the bundled data.

Every other module asks here, so that the package layout (src/planlod/resources/, which links to the
repository's vocab/, shapes/, queries/ and data/) is known in one place.
"""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).parent / "resources"

VOCAB_PATH = RESOURCES / "vocab" / "planlod.ttl"
FIELDS_PATH = RESOURCES / "vocab" / "fields.ttl"          # the shared field classification (目的別歳出)
CONTEXT_PATH = RESOURCES / "vocab" / "context.jsonld"     # the JSON-LD context of the dumps
SHAPES_PATH = RESOURCES / "shapes" / "planlod-shapes.ttl"
DCAT_AP_SHAPES = tuple(
    RESOURCES / "shapes" / "dcat-ap-3.0.1" / name
    for name in ("shapes.ttl", "range.ttl", "shapes_recommended.ttl", "mdr-vocabularies.shape.ttl",
                 "deprecateduris.ttl")
)
QUERIES_DIR = RESOURCES / "queries"

BUNDLED_DATA = RESOURCES / "data"
BUNDLED_SOURCE = BUNDLED_DATA / "source" / "niigata-nishi-ward_vision-plan-3_progress_fy2020.txt"
BUNDLED_CATALOG = BUNDLED_DATA / "catalog.toml"
