"""What a CKAN portal makes of the catalog (ckanext-dcat 2.x with ckanext-harvest): the dataset's name is
its English title folded to ASCII lower case, separators as '-', and cut at 95 characters (CKAN's name
limit of 100, less 5 it keeps for de-clashing). A cut name can end in '-' or lose the year, and then the
editions of a plan collide and get '-1', '-2' in harvest order: unstable. So each dataset gets an English
title whose name needs no cut, and says its year. The licence is matched against CKAN's licence register
by IRI, else by the licence's dct:title: LICENCE_TITLES gives the title CKAN knows a licence IRI by."""

from __future__ import annotations

import re
import unicodedata

NAME_LIMIT = 95
# CKAN's default licence register lists CC BY (any version) as 'cc-by' under this title, with another IRI.
LICENCE_TITLES = {"https://creativecommons.org/licenses/by/4.0/": "Creative Commons Attribution"}


def ckan_name(title: str) -> str:
    """The name CKAN derives from a title, before any cut."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9_-]", "", re.sub(r"[ .:/]", "-", folded).lower())
    return re.sub(r"-+", "-", name).strip("-")


def harvest_title(candidates: list[str], year: int | None) -> str:
    """The first title that gives a whole name (no cut) and names the year; the last one if none does."""
    usable = [t if year is None or str(year) in t else f"{t} FY{year}" for t in candidates if t]
    return next((t for t in usable if 2 <= len(ckan_name(t)) <= NAME_LIMIT), usable[-1])
