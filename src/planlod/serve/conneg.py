"""Content negotiation as a pure function: an Accept header and what can be given -> the choice."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class _Range:
    media_type: str
    quality: float
    order: int

    def matches(self, offer: str) -> int:
        """How specifically this range matches the offer: 3 exact, 2 type/*, 1 */*, 0 not at all."""
        kind, _, sub = self.media_type.partition("/")
        offer_kind, _, offer_sub = offer.partition("/")
        if self.media_type == offer:
            return 3
        if sub == "*" and kind == offer_kind:
            return 2
        if self.media_type == "*/*":
            return 1
        return 0


def parse_accept(header: str | None) -> list[_Range]:
    if not header or not header.strip():
        return [_Range("*/*", 1.0, 0)]
    ranges = []
    for order, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        quality = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append(_Range(media, quality, order))
    return ranges


def negotiate(accept: str | None, offers: list[str]) -> str | None:
    """The offer the client prefers most (RFC 9110: most specific range decides its quality; q=0 refuses).

    Ties keep the server's order of offers. None when nothing acceptable is offered (answer 406).
    """
    ranges = parse_accept(accept)
    best: tuple[float, int, str] | None = None
    for position, offer in enumerate(offers):
        matching = [(r.matches(offer), r) for r in ranges if r.matches(offer)]
        if not matching:
            continue
        _, chosen = max(matching, key=lambda m: (m[0], -m[1].order))
        if chosen.quality <= 0:
            continue
        key = (chosen.quality, -position, offer)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None
