from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlod.errors import SourceError
from planlod.text import _control_ratio, decode_text

SAMPLE = "進行管理表（令和2年度実施事業）\n事業番号\t事業名\n"


@pytest.mark.parametrize(("data", "encoding"), [
    (SAMPLE.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8 with BOM"),
    (SAMPLE.encode("cp932"), "cp932 (Shift_JIS)"),
    (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16 with BOM"),
])
def test_japanese_government_encodings_are_read(data: bytes, encoding: str) -> None:
    decoded = decode_text(data, "x.txt")
    assert decoded.text == SAMPLE and decoded.encoding == encoding


def test_line_numbers_follow_newlines_only() -> None:
    decoded = decode_text("a\fb\r\nc\u2028d\n".encode(), "x.txt")
    assert decoded.lines == ["a\fb", "c\u2028d"]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "the file is empty"),
    (b"  \n\n", "the file is empty"),
    (b"%PDF-1.7\n...", "this is a PDF"),
    (b"abc\x00def", "NUL byte at line 1"),
    (b"ok\n\x81\x20\xff\xfe", "not UTF-8 and not Shift_JIS"),
])
def test_what_is_not_text_is_named(data: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        decode_text(data, "x.txt")


def test_a_text_of_control_characters_is_refused_but_tabs_and_page_breaks_are_text() -> None:
    assert decode_text(("a\tb\fc\r\n" * 50).encode(), "x.txt").encoding == "utf-8"
    with pytest.raises(SourceError, match="too many control characters"):
        decode_text(("abcdefghi\x1b" * 50).encode(), "x.txt")


@given(st.text(st.characters(max_codepoint=0x3000)))
def test_control_characters_are_those_below_space_but_tab_newlines_and_form_feed(text: str) -> None:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    assert _control_ratio(text) == controls / max(len(text), 1)
