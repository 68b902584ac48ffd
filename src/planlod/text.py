"""Bytes in, text lines out: encoding detection for Japanese government files."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import PlanlodError, SourceError


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str  # as found: 'utf-8', 'utf-8 with BOM', 'cp932 (Shift_JIS)', …

    @property
    def lines(self) -> list[str]:
        # Not str.splitlines(): it also splits on form feeds and U+2028, which would shift
        # line numbers away from what an editor (and the error messages) call line N.
        lines = self.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return lines[:-1] if lines and lines[-1] == "" else lines


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8 with BOM"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16 with BOM"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16 with BOM"),
)


# C0 controls but tab, line feed, form feed and carriage return. Counted by a regular expression, not a
# loop over the characters: 9 ms against 0.6 ms for a report of 540 rows (3% of a large build's workers).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _control_ratio(text: str) -> float:
    return len(_CONTROLS.findall(text)) / max(len(text), 1)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_text(data: bytes, name: str) -> DecodedText:
    """Decode a source file, or say exactly why it is not a text planlod can read."""
    if not data.strip():
        raise SourceError("the file is empty", where=name, hint="give the text extracted from the progress table PDF")
    if data.startswith(b"%PDF"):
        raise SourceError(
            "this is a PDF, not its text extraction",
            where=name,
            hint="extract the text first (tab-separated table cells, one table row a line)",
        )
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return DecodedText(data.decode(codec), label)
    if b"\x00" in data:
        nul_line = _line_of(data, data.index(b"\x00"))
        raise SourceError(
            f"not a text file: NUL byte at line {nul_line}",
            where=name,
            hint="planlod reads UTF-8 or Shift_JIS (CP932) text",
        )
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text, encoding = data.decode("cp932"), "cp932 (Shift_JIS)"
        except UnicodeDecodeError:
            line = _line_of(data, utf8_error.start)
            raise SourceError(
                f"not UTF-8 and not Shift_JIS (CP932): byte 0x{data[utf8_error.start]:02x} at line {line} "
                "cannot be decoded",
                where=f"{name}:{line}",
                hint="save the file as UTF-8 (or Shift_JIS) text",
            ) from None
    if _control_ratio(text) > 0.01:
        raise SourceError(
            f"not a text file: too many control characters for {encoding} text",
            where=name,
            hint="planlod reads UTF-8 or Shift_JIS (CP932) text",
        )
    return DecodedText(text, encoding)


def read_text(path: Path) -> DecodedText:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise SourceError(f"cannot read the file: {err.strerror}", where=str(path)) from None
    return decode_text(data, str(path))


class CsvRows:
    """csv.DictReader whose format errors (a cell past the csv module's size limit, a quote left open)
    become a PlanlodError naming file and line, like every other bad input."""

    def __init__(self, text: str, name: str, error: type[PlanlodError] = SourceError) -> None:
        self._reader = csv.DictReader(io.StringIO(text, newline=""))
        self._name, self._error = name, error

    def _fail(self, err: csv.Error) -> PlanlodError:
        reason = str(err)
        hint = ("a cell holds more than 131,072 characters: split it, or check for a quote left open"
                if "field larger" in reason else "check the quoting of this row")
        return self._error(f"the CSV cannot be read: {reason}", where=f"{self._name}:{self._reader.line_num + 1}",
                           hint=hint)

    @property
    def fieldnames(self) -> list[str]:
        try:
            return list(self._reader.fieldnames or [])
        except csv.Error as err:
            raise self._fail(err) from None

    @property
    def line_num(self) -> int:
        return self._reader.line_num

    def __iter__(self) -> Iterator[dict[str, str]]:
        while True:
            try:
                row = next(self._reader)
            except StopIteration:
                return
            except csv.Error as err:
                raise self._fail(err) from None
            yield row
