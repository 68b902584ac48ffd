from __future__ import annotations

import codecs

import pytest

from planlod.errors import SourceError
from planlod.text import decode_text

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
