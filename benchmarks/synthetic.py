"""A synthetic collection shaped like the real data, for benchmarks and the large-collection tests.

Each synthetic municipality publishes one report of Nishi Ward's plan shape (or, with `editions`, several
yearly editions of it): its 103 rows (read from the bundled source, so targets, actuals, results, directions
and departments are real text) repeated 1–9 times under renumbered projects, i.e. 103–927 evaluations per
report, as a records CSV with its metadata. Codes are valid 6-digit 全国地方公共団体コード (check digit
included) in a range no real municipality uses (900000+). Same seed, same files.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from pathlib import Path

from planlod.bundled import BUNDLED_SOURCE
from planlod.csvio import records_to_csv
from planlod.pipeline import read_progress_table
from planlod.records import Activity

META = Path(str(BUNDLED_SOURCE).removesuffix(".txt") + ".meta.toml")


def check_digit(five: str) -> str:
    """JIS X 0402: weights 6..2, 11 minus the remainder mod 11, last digit."""
    total = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def municipality_code(n: int) -> str:
    """The n-th synthetic ward (n < 5000)."""
    five = f"{90000 + n:05d}"
    return five + check_digit(five)


def city_code(n: int) -> str:
    """The city of the n-th synthetic ward."""
    five = f"{95000 + n:05d}"
    return five + check_digit(five)


def base_rows() -> tuple[Activity, ...]:
    return read_progress_table(BUNDLED_SOURCE).activities


def report_rows(rows: tuple[Activity, ...], copies: int, year: int) -> list[Activity]:
    """The rows `copies` times, each copy's projects renumbered (a suffix of fixed width keeps them apart)."""
    out, width = [], max(3, len(str(copies - 1)))
    for copy in range(copies):
        for row in rows:
            out.append(replace(row, project_number=f"{row.project_number or '0'}{copy:0{width}d}", fiscal_year=year,
                               previous_fiscal_year=year - 1 if row.previous_fiscal_year else None))
    return out


def metadata_text(code: str, n: int, year: int) -> str:
    text = META.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^sha256 = .*\n', "", text)
    text = re.sub(r'(?m)^id = "151076-.*\n', "", text)             # derived: <code>-<plan>-fy<year>
    text = re.sub(r'(?m)^series_id = .*\n', "", text)
    text = re.sub(r'(?m)^report_fiscal_year = .*$', f"report_fiscal_year = {year}", text)
    text = re.sub(r'(?m)^ward_code = .*$', f'ward_code = "{code}"', text)
    text = re.sub(r'(?m)^city_code = .*$', f'city_code = "{city_code(n)}"', text)
    text = re.sub(r'(?m)^ward_sac = .*$', f'ward_sac = "C{code[:5]}"', text)
    text = re.sub(r'(?m)^city_sac = .*$', f'city_sac = "C{city_code(n)[:5]}"', text)
    text = re.sub(r'(?m)^homepage = .*$', f'homepage = "https://example.org/synthetic/{n}/"', text)
    text = text.replace("西区", f"合成{n}区").replace("Nishi Ward", f"Synthetic Ward {n}")
    return text


def write_collection(folder: Path, evaluations: int, seed: int = 1, editions: int = 1,
                     copies_range: tuple[int, int] = (1, 9)) -> list[Path]:
    """Records CSVs (with metadata) holding about `evaluations` rows in all; returns the CSV paths. With
    `editions` above 1, each municipality publishes 1 to `editions` consecutive yearly editions of its plan,
    each with one copy of the rows more or fewer than the year before (so elements appear and are absent).
    `copies_range`: how many times a report repeats the 103 rows (1, 1 for reports of 103 rows: a national
    collection of ~1,700 municipalities x 5 years has ~8,500 reports of ~120 rows for 1,000,000 evaluations)."""
    rng = random.Random(seed)
    rows = base_rows()
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    total, n = 0, 0
    while total < evaluations:
        n += 1
        copies = rng.randint(*copies_range)   # drawn in this order: with one edition, the collections of before
        code, first = municipality_code(n), 2015 + rng.randint(0, 8)
        for year in range(first, first + (rng.randint(1, editions) if editions > 1 else 1)):
            if total >= evaluations:
                break
            if year > first:
                copies = min(copies_range[1], max(copies_range[0], copies + rng.choice((-1, 1))))
            report = report_rows(rows, min(copies, max(1, -(-(evaluations - total) // len(rows)))), year)
            written.append(write_report(folder, code, n, year, report))
            total += len(report)
    return written


def write_one_report(folder: Path, evaluations: int) -> Path:
    """One report of about `evaluations` rows (Nishi's rows, copied): a huge report, for the memory bound."""
    rows = base_rows()
    folder.mkdir(parents=True, exist_ok=True)
    return write_report(folder, municipality_code(1), 1, 2020, report_rows(rows, -(-evaluations // len(rows)), 2020))


def write_report(folder: Path, code: str, n: int, year: int, rows: list[Activity]) -> Path:
    """One report's records CSV and its metadata, named as a municipality would name them; the CSV's path."""
    stem = folder / f"synthetic-{code}_vision-plan_fy{year}"
    Path(f"{stem}.csv").write_text(records_to_csv(rows), encoding="utf-8")
    Path(f"{stem}.meta.toml").write_text(metadata_text(code, n, year), encoding="utf-8")
    return Path(f"{stem}.csv")
