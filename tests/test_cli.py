"""The command line: exit codes and wording are part of the interface."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from click.testing import CliRunner

from planlod.cli import main

from .conftest import BUNDLED


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_check_on_the_bundled_source_reproduces_every_figure() -> None:
    code, out, _ = run("check", str(BUNDLED))
    assert code == 0
    assert "All 19 declared figures are reproduced from the rows." in out
    assert "goal III" in out and "DIFFERS" not in out


def test_extract_writes_one_row_per_evaluation(tmp_path: Path) -> None:
    out_path = tmp_path / "records.csv"
    code, _, err = run("extract", str(BUNDLED), "-o", str(out_path))
    assert code == 0 and "Wrote 103 rows" in err
    lines = out_path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 104 and lines[0].startswith("goal,goal_title,policy,")


def test_extract_reads_its_own_csv_back_unchanged(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run("extract", str(BUNDLED), "-o", str(first))[0] == 0
    assert run("extract", str(first), "-o", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()


def test_extract_to_standard_output() -> None:
    code, out, _ = run("extract", str(BUNDLED))
    assert code == 0 and out.count("\n") == 104


def test_explain_accounts_for_every_line() -> None:
    code, out, _ = run("extract", "--explain", str(BUNDLED))
    assert code == 0
    assert out.splitlines()[-1].startswith("580 lines accounted for")
    assert out.splitlines()[0] == f"{BUNDLED}: read as utf-8 text"
    assert sum(1 for line in out.splitlines()[1:] if line.startswith(str(BUNDLED) + ":")) == 580


def test_check_exits_1_naming_the_goal_and_both_numbers(tmp_path: Path) -> None:
    text = BUNDLED.read_text(encoding="utf-8").replace("III だれもが学び合える学術と文化のまち\t達成\t7",
                                                       "III だれもが学び合える学術と文化のまち\t達成\t9")
    source = tmp_path / "changed.txt"
    source.write_text(text, encoding="utf-8")
    code, out, _ = run("check", str(source), "--corrections", str(BUNDLED.with_suffix(".corrections.csv")))
    assert code == 1
    assert f"goal III 達成: computed 7, declared 9 ({source}:23)" in out


# ---- bad input: exit 2, "Error: <where>: …" and a hint, no traceback, nothing written ---------------------
def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _lines(text: str) -> list[str]:
    return text.split("\n")


BAD_INPUTS = {
    "empty": (lambda t: b"", "the file is empty"),
    "not-text": (lambda t: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file: NUL byte"),
    "cut-off-after-header": (lambda t: "\n".join(_lines(t)[:36]).encode(), ":34: this table header has no rows"),
    "cut-off-before-rows": (lambda t: "\n".join(_lines(t)[:33]).encode(), "the table is cut off"),
    "too-many-cells": (lambda t: t.replace("\t総務課\t\n", "\t総務課\tx\ty\n").encode(),
                       ":37: this row has 12 cells but its table header (line 34) has 11"),
    "unknown-evaluation": (lambda t: t.replace("-\t達成\t総務課", "-\t済\t総務課").encode(),
                           ":37: '済' stands where the evaluation goes"),
    "missing-summary": (lambda t: "\n".join(_lines(t)[:5] + _lines(t)[20:]).encode(),
                        "no summary table before the first goal heading"),
    "row-without-evaluation": (lambda t: t.replace("-\t達成\t総務課", "-\t\t総務課").encode(),
                               ":37: this row has no evaluation"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_cleanly(case: str, tmp_path: Path, minimal_text: str) -> None:
    make, message = BAD_INPUTS[case]
    source = _write(tmp_path, "input.txt", make(minimal_text))
    out_path = tmp_path / "out" / "records.csv"
    for command in (["check", str(source)], ["extract", str(source), "-o", str(out_path)]):
        code, out, err = run(*command)
        assert code == 2, (case, out, err)
        assert err.startswith(f"Error: {source}") and message in err, err
        assert "Traceback" not in err + out
    assert not out_path.exists() and not out_path.parent.exists()


def test_failed_extract_leaves_an_existing_output_untouched(tmp_path: Path) -> None:
    out_path = tmp_path / "records.csv"
    out_path.write_text("previous run\n", encoding="utf-8")
    code, _, _ = run("extract", str(_write(tmp_path, "e.txt", b"")), "-o", str(out_path))
    assert code == 2 and out_path.read_text(encoding="utf-8") == "previous run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.txt", "records.csv"]  # no temporary file left


@pytest.mark.parametrize(("encode", "label"), [
    (lambda t: t.encode("cp932"), "cp932"),
    (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "BOM"),
])
def test_japanese_encodings_read_correctly(encode, label: str, tmp_path: Path, minimal_text: str) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run("check", str(_write(tmp_path, f"{label}.txt", encode(minimal_text))))
    assert code == 0 and "All 7 declared figures are reproduced" in out


def test_hints_are_printed(tmp_path: Path) -> None:
    _, _, err = run("check", str(_write(tmp_path, "e.txt", b"")))
    assert err.splitlines()[1].startswith("Hint: ")


def test_bad_csv_is_refused_with_its_place(tmp_path: Path) -> None:
    csv_path = _write(tmp_path, "r.csv", "goal,goal_title\nI,まち\n".encode())
    code, _, err = run("extract", str(csv_path), "-o", str(tmp_path / "o.csv"))
    assert code == 2 and f"Error: {csv_path}:1: missing column(s): policy" in err
    assert not (tmp_path / "o.csv").exists()


def test_missing_source_file_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("check", str(tmp_path / "nope.txt"))
    assert code == 2 and "does not exist" in err


def test_stale_metadata_checksum_is_refused(tmp_path: Path) -> None:
    source = _write(tmp_path, "x.txt", BUNDLED.read_bytes() + b"\n")
    code, _, err = run("check", str(source), "--metadata", str(BUNDLED.with_suffix(".meta.toml")))
    assert code == 2 and "sha256 differs" in err


def test_an_unwritable_output_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, out, err = run("extract", str(BUNDLED), "-o", str(blocker / "records.csv"))
    assert code == 2 and err.startswith("Error: ") and "Traceback" not in out + err


def test_an_unexpected_exception_is_an_internal_error_exit_3_issue_8(monkeypatch: pytest.MonkeyPatch) -> None:
    from planlod import pipeline

    def broken(*_: object, **__: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(pipeline, "check_progress_table", broken)
    result = CliRunner().invoke(main, ["check", str(BUNDLED)])
    assert result.exit_code == 3
    assert "Internal error: KeyError" in result.stderr and "bug in planlod" in result.stderr
    assert "Traceback" not in result.output


def test_ctrl_c_is_exit_2_with_an_error_not_clicks_exit_1(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Exit 1 means that the data disagrees: an interrupted run must not say so (click's own answer to Ctrl-C
    is "Aborted!" and exit 1)."""
    from planlod import pipeline

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "build_site", interrupted)
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "site")])
    assert result.exit_code == 2
    assert "Error: interrupted (Ctrl-C)" in result.stderr and "Hint:" in result.stderr
    assert "Aborted" not in result.output


def test_query_tables_align_japanese_by_display_width(site: Path) -> None:
    """Issue 11: a Japanese name takes two columns a character; the columns after it still line up."""
    from planlod.report import display_width

    result = CliRunner().invoke(main, ["query", "queries/met-rate-by-report.rq", "--site", str(site)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if "planlod/id/report/" in line or line.startswith("report")]
    assert any("新潟市西区役所" in line for line in lines)
    ends = {display_width(line[: line.index(f"  {word}") + 2 + len(word)])
            for line, word in zip(lines, ["year", "2007", "2008", "2010", "2020"], strict=True)}
    assert len(ends) == 1, result.stdout
