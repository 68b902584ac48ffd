"""negotiate() is pure: a table of Accept headers and what they get."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlod.serve.conneg import negotiate

OFFERS = ["text/html", "text/turtle", "application/ld+json", "application/n-triples"]


@pytest.mark.parametrize(("accept", "chosen"), [
    (None, "text/html"),
    ("", "text/html"),
    ("*/*", "text/html"),
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/n-triples", "application/n-triples"),
    ("application/ld+json;q=0.9, text/turtle;q=0.8", "application/ld+json"),
    ("text/turtle;q=0.5, application/ld+json;q=0.5", "text/turtle"),       # a tie keeps the server's order
    ("text/*", "text/html"),
    ("application/*", "application/ld+json"),
    ("text/html;q=0, */*;q=0.1", "text/turtle"),                         # q=0 refuses that type
    ("text/turtle;q=0, */*", "text/html"),
    ("TEXT/TURTLE", "text/turtle"),
    ("text/turtle; charset=utf-8", "text/turtle"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),   # a browser
    ("image/png", None),
    ("text/turtle;q=0", None),
    ("text/turtle;q=abc", None),
])
def test_negotiation_table(accept: str | None, chosen: str | None) -> None:
    assert negotiate(accept, OFFERS) == chosen


@given(st.lists(st.tuples(st.sampled_from(OFFERS + ["*/*", "text/*", "image/png"]),
                          st.integers(0, 10)), max_size=5))
def test_the_choice_is_offered_and_acceptable(ranges: list[tuple[str, int]]) -> None:
    header = ", ".join(f"{media};q={q / 10}" for media, q in ranges)
    chosen = negotiate(header, OFFERS)
    if not ranges:                                   # no Accept header: anything, the server's first choice
        assert chosen == OFFERS[0]
        return
    assert chosen is None or chosen in OFFERS
    if chosen is not None:
        assert any(media in (chosen, "*/*", chosen.split("/")[0] + "/*") and q > 0 for media, q in ranges)
