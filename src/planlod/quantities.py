"""Numbers inside target and actual texts: '幼児健診受診率 96%以上' -> 96 %, minimum."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .cells import fold

_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d,]*\d)")
# Counters and units seen in Japanese progress tables, longest first so 'ヶ所' wins over 'ヶ'.
UNITS = tuple(sorted((
    "%", "組", "回", "人", "校", "団体", "件", "ヶ所", "か所", "箇所", "カ所", "科目", "施設", "地区", "時間", "日",
    "世帯", "事業", "路線", "コース", "本", "冊", "部", "台", "ha", "m", "km", "円", "千円", "万円", "割", "号",
    "種", "枚", "店", "社", "者", "名", "戸", "棟", "基", "か月", "ヶ月", "講座", "教室", "団地", "園", "箇月",
), key=len, reverse=True))
# UN/CEFACT common codes for the units that have one.
UNIT_CODES = {"%": "P1", "ha": "HAR", "m": "MTR", "km": "KMT", "円": "JPY", "日": "DAY", "時間": "HUR"}


@dataclass(frozen=True, slots=True)
class Quantity:
    value: Decimal
    unit: str                 # as printed after the number ('' when none)
    comparator: str | None    # 'min' (以上), 'max' (以下) or None

    @property
    def unit_code(self) -> str | None:
        return UNIT_CODES.get(self.unit)


def parse_quantity(text: str) -> Quantity | None:
    """The one number a text holds, with its unit and comparator; None for none or several."""
    folded = fold(text)
    matches = list(_NUMBER.finditer(folded))
    if len(matches) != 1:
        return None
    match = matches[0]
    value = Decimal(match.group(1).replace(",", "") + (match.group(2) or ""))
    rest = folded[match.end():].lstrip()
    unit = next((u for u in UNITS if rest.startswith(u)), "")
    rest = rest[len(unit):].lstrip()
    comparator = "min" if rest.startswith("以上") else "max" if rest.startswith("以下") else None
    return Quantity(value, unit, comparator)
