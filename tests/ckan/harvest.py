"""What CKAN makes of a DCAT catalog: run with the Python of .venv-ckan (CKAN 2.12 and ckanext-dcat 2.4,
pinned in requirements.txt beside this file; scripts/install-test-deps.sh makes it).

Prints one JSON line per dataset: the title ckanext-dcat's parser (profile euro_dcat_ap_3) reads, the name
the harvester gives it (ckan.lib.munge.munge_title_to_name, as ckanext-harvest's _gen_new_name does) and
the licence id matched in CKAN's default licence register. No database: only the parser runs.
"""

import json
import sys

from ckan.common import config

config.update({"ckan.site_url": "http://localhost", "licenses_group_url": "", "ckan.locale_default": "en"})

from ckan.lib.munge import munge_title_to_name  # noqa: E402
from ckanext.dcat.processors import RDFParser  # noqa: E402

parser = RDFParser(profiles=["euro_dcat_ap_3"])
with open(sys.argv[1], encoding="utf-8") as catalog:
    parser.parse(catalog.read(), _format="text/turtle")
for dataset in parser.datasets():
    print(json.dumps({"title": dataset["title"], "name": munge_title_to_name(dataset["title"]),
                      "license_id": dataset.get("license_id", ""), "uri": dataset.get("uri", "")},
                     ensure_ascii=False))
