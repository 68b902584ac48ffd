"""Random cells and metadata values through extract -> build: a clean verdict every time (issue 8, item 8).

Exit 0 (built), 1 (does not conform) or 2 (bad input, with Error: and a place) are all answers; exit 3 (an
internal error) or a traceback is a bug. The budget is fixed and the examples derandomized, so CI runs the
same inputs every time; run with HYPOTHESIS_PROFILE=deep locally to search further.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planlod.cli import main
from planlod.metadata import ENTRY_TABLES, TABLES, checks
from planlod.records import CSV_COLUMNS

CASE = Path(__file__).parent / "cases" / "harden"
CSV_TEXT = (CASE / "records.csv").read_text(encoding="utf-8")
META_TEXT = (CASE / "records.meta.toml").read_text(encoding="utf-8")
BUDGET = settings(max_examples=int(os.environ.get("PLANLOD_FUZZ_EXAMPLES", "20")), deadline=None,
                  derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Text that has broken readers before: separators, quotes, formula starts, scripts, long runs.
TRICKY = st.sampled_from(["", "0", "-1", "I", "XLII", "ⅳ", "=1+1", "@x", "\u2028", "\x85", "\x0c", "\r", "\n",
                          '"', "'", ",", "\t", "<script>", "達成", "未達成", "※", "-", "１２", "令和2年度",
                          "x" * 140_000, "Дж", "\x00", "\ud7ff", "https://example.org/", "javascript:alert(1)"])
CELLS = st.one_of(TRICKY, st.text(max_size=40), st.lists(TRICKY, max_size=4).map("".join))


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, f"{args}: escaped {result.exception!r}"
    assert "Traceback" not in result.output, result.output
    assert result.exit_code in (0, 1, 2), f"{args}: exit {result.exit_code}\n{result.output[-2000:]}"
    if result.exit_code == 2:
        assert result.output.lstrip().startswith(("Error:", "Usage:")) or "\nError:" in result.output
    return result.exit_code, result.output


def _csv_with(row: int, column: str, value: str) -> str:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(CSV_TEXT, newline="")))
    rows[row][CSV_COLUMNS.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@BUDGET
@given(row=st.integers(1, 3), column=st.sampled_from(CSV_COLUMNS), value=CELLS)
def test_random_cells_get_a_clean_verdict(row: int, column: str, value: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "records.csv"
        source.write_text(_csv_with(row, column, value), encoding="utf-8", errors="surrogatepass")
        (Path(folder) / "records.meta.toml").write_text(META_TEXT, encoding="utf-8")
        code, _ = _invoke("extract", str(source), "-o", str(Path(folder) / "out.csv"))
        if code == 0:
            _invoke("build", "--source", str(source), "--out", str(Path(folder) / "site"))


def set_key(text: str, table: str, key: str, value: str) -> str:
    """The TOML text with `key` of [table] set to `value`, replacing the key's line if there is one."""
    header = f"[{table}]\n"
    if header not in text:
        return text + f"\n{header}{key} = {value}\n"
    start = text.index(header) + len(header)
    end = text.find("\n[", start)
    end = len(text) if end < 0 else end
    lines = text[start:end].split("\n")
    for i, line in enumerate(lines):
        if line.split("=", 1)[0].strip() == key:
            lines[i] = f"{key} = {value}"
            break
    else:
        lines.insert(0, f"{key} = {value}")
    return text[:start] + "\n".join(lines) + text[end:]


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value) if isinstance(value, str) else str(value)


KEYS = sorted([(table, key) for table, cls in TABLES.items() for key in checks(cls)]
              + [(f'{table}."地域課"' if table == "departments" else f'{table}."達成"', key)
                 for table, cls in ENTRY_TABLES.items() for key in checks(cls)])
VALUES = st.one_of(CELLS.filter(lambda v: "\ud7ff" not in v), st.integers(-10, 3000), st.booleans(),
                   st.lists(st.sampled_from(["GOVE", "達成", "a b", "", "x"]), max_size=3))


@BUDGET
@given(key=st.sampled_from(KEYS), value=VALUES)
def test_random_metadata_values_get_a_clean_verdict(key: tuple[str, str], value: object) -> None:
    table, name = key
    text = set_key(META_TEXT, table, name, _toml(value))
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "records.csv"
        source.write_text(CSV_TEXT, encoding="utf-8")
        (Path(folder) / "records.meta.toml").write_text(text, encoding="utf-8")
        _invoke("build", "--source", str(source), "--out", str(Path(folder) / "site"))
