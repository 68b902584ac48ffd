"""The metadata file: every key checked at read time, errors with file:line and the key (issue 8, items 7-9)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from planlod.cli import main
from planlod.errors import SourceError
from planlod.metadata import read_metadata
from planlod.metadata_schema import line_of

HERE = Path(__file__).parent
CASE = HERE / "cases" / "harden"
BUNDLED_META = HERE.parent / "data" / "source" / "niigata-nishi-ward_vision-plan-3_progress_fy2020.meta.toml"


def with_value(tmp_path: Path, table: str, key: str, value: str, name: str = "records") -> Path:
    """The harden case with one key of one table set to `value` (TOML text), beside a copy of its CSV."""
    text = (CASE / "records.meta.toml").read_text(encoding="utf-8")
    header = f"[{table}]\n"
    if header not in text:
        text += f"\n{header}"
    pattern = re.compile(rf"(?m)^{re.escape(key)} = .*$")
    section_start = text.index(header) + len(header)
    section_end = text.find("\n[", section_start)
    section = text[section_start:] if section_end < 0 else text[section_start:section_end]
    if pattern.search(section):
        section = pattern.sub(lambda _: f"{key} = {value}", section, count=1)
    else:
        section = f"{key} = {value}\n" + section
    text = text[:section_start] + section + ("" if section_end < 0 else text[section_end:])
    (tmp_path / f"{name}.csv").write_bytes((CASE / "records.csv").read_bytes())
    meta = tmp_path / f"{name}.meta.toml"
    meta.write_text(text, encoding="utf-8")
    return meta


def test_the_bundled_metadata_passes() -> None:
    assert read_metadata(BUNDLED_META).plan.id == "vision-3"


@pytest.mark.parametrize(("table", "key", "value", "expected"), [
    ("publication", "id", '"../../escaped"', "lower-case ASCII"),
    ("publication", "series_id", '"a/b"', "lower-case ASCII"),
    ("plan", "id", '"Vision 3"', "lower-case ASCII"),
    ("publisher", "ward_code", '"15107"', "6-digit"),
    ("publisher", "ward_code", "151076", "in quotes"),
    ("publisher", "ward_sac", '"C15107/../x"', "standard area code"),
    ("licence", "url", '"javascript:alert(7)"', "http:// or https://"),
    ("licence", "url", '"https://example.org/a\\"b"', "http:// or https://"),
    ("licence", "url", '"https://example.org/<x>"', "http:// or https://"),
    ("publisher", "homepage", '"data:text/html,hi"', "http:// or https://"),
    ("publication", "issued", '"yesterday"', "YYYY-MM-DD"),
    ("publication", "modified", '"2026-02-30"', "YYYY-MM-DD"),
    ("document", "report_fiscal_year", '"2020"', "Gregorian year"),
    ("layout", "results", '["達 成"]', "without spaces"),
    ('results."達成"', "pivot", '"maybe"', "'met', 'not-met'"),
    ('departments."地域課"', "id", '"../x"', "lower-case ASCII"),
    ("document", "title", '"a\\u0000b"', "control characters"),
])
def test_values_off_their_pattern_are_refused_with_file_line_and_key_issue_8(
        tmp_path: Path, table: str, key: str, value: str, expected: str) -> None:
    meta = with_value(tmp_path, table, key, value)
    with pytest.raises(SourceError) as caught:
        read_metadata(meta)
    error = caught.value
    line = meta.read_text(encoding="utf-8").splitlines().index(f"{key} = {value}") + 1
    assert error.where == f"{meta}:{line}"
    assert key in error.message and expected in (error.hint or "")


def test_an_unknown_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    meta = with_value(tmp_path, "publication", "isued", '"2026-01-01"')
    with pytest.raises(SourceError, match="unknown key 'isued'") as caught:
        read_metadata(meta)
    assert caught.value.hint == "did you mean 'issued'?"


def test_an_unknown_table_is_named(tmp_path: Path) -> None:
    meta = with_value(tmp_path, "publisher", "name", '"x"')
    meta.write_text(meta.read_text(encoding="utf-8") + "\n[licenze]\nurl = \"https://x.org/\"\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"unknown table \[licenze\]") as caught:
        read_metadata(meta)
    assert caught.value.hint == "did you mean [licence]?"


def test_a_dataset_id_that_climbs_out_writes_nothing_outside_out_issue_8(tmp_path: Path) -> None:
    meta = with_value(tmp_path, "publication", "id", '"../../escaped"')
    out = tmp_path / "deep" / "er" / "site"
    result = CliRunner().invoke(main, ["build", "--source", str(meta.with_name("records.csv")), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "Error:" in result.stderr and "publication" in result.stderr and "Traceback" not in result.output
    assert not out.exists() and not (tmp_path / "deep" / "escaped").exists()
    assert not list(tmp_path.rglob("*escaped*"))


def test_a_bad_date_gives_no_traceback_before_its_error_issue_8(tmp_path: Path) -> None:
    meta = with_value(tmp_path, "publication", "issued", '"yesterday"')
    result = CliRunner().invoke(main, ["build", "--source", str(meta.with_name("records.csv")),
                                       "--out", str(tmp_path / "site")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "Failed to convert" not in result.output
    assert "YYYY-MM-DD" in result.stderr


def test_line_of_finds_keys_in_quoted_tables() -> None:
    text = '[a]\nx = 1\n[results."達成"]\nid = "a"\n'
    assert line_of(text, 'results."達成"', "id") == 4
    assert line_of(text, "a", "x") == 2 and line_of(text, "a") == 1 and line_of(text, "b") is None


def test_a_scale_word_not_in_the_layout_is_refused(tmp_path: Path) -> None:
    meta = with_value(tmp_path, 'results."大幅達成"', "id", '"far-above"')
    with pytest.raises(SourceError, match="does not list") as caught:
        read_metadata(meta)
    assert caught.value.hint == "add '大幅達成' to [layout] results, or remove this table"


def test_the_metadata_is_one_typed_structure() -> None:
    meta = read_metadata(BUNDLED_META)
    assert meta.publisher.ward_code == "151076" and meta.licence.confirmed is False
    assert meta.publication.keywords[0] == "進行管理表" and isinstance(meta.publication.keywords, tuple)
    assert [(level.word, level.id, level.pivot) for level in meta.levels] == [
        ("達成", "achieved", "met"), ("未達成", "not-achieved", "not-met")]
    assert meta.departments["総務課"].id == "somu-ka" and meta.fiscal_year == 2020
