from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlod.cells import (
    NumberCell,
    find_era_year,
    format_era_year,
    parse_bool,
    parse_era_year,
    parse_number_cell,
    parse_roman,
    roman_value,
    split_fused_result,
    split_leading_number,
)

RESULTS = ("達成", "未達成")


@pytest.mark.parametrize(("text", "year"), [
    ("H31", 2019), ("R1", 2019), ("R2", 2020), ("R3", 2021), ("H30", 2018), ("令和2", 2020), ("令和元", 2019),
    ("平成31", 2019), ("Ｒ２", 2020), ("S64", 1989), ("2020", 2020),
])
def test_era_years_convert_to_gregorian_fiscal_years(text: str, year: int) -> None:
    assert parse_era_year(text) == year


@pytest.mark.parametrize("text", ["H32", "H0", "X2", "", "R", "令和", "S65", "二〇二〇"])
def test_invalid_era_years_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_era_year(text)


@given(st.sampled_from(["H", "R"]).flatmap(
    lambda era: st.tuples(st.just(era), st.integers(1989, 2019) if era == "H" else st.integers(2019, 2100))))
def test_era_year_round_trip(pair: tuple[str, int]) -> None:
    era, year = pair
    assert parse_era_year(format_era_year(year, era)) == year


@given(st.integers(2019, 2100), st.text(alphabet="進行管理表（）年度実施事業", max_size=8))
def test_era_year_is_found_inside_a_title(year: int, noise: str) -> None:
    assert find_era_year(f"{noise}令和{year - 2018}年度{noise}") == year


def test_latin_letter_inside_a_word_is_not_an_era() -> None:
    assert find_era_year("CSR2の講座") is None
    assert find_era_year("(参考) H31実績") == 2019


@pytest.mark.parametrize(("text", "cell"), [
    ("※ 1", NumberCell(True, 1)), ("1", NumberCell(False, 1)), ("※", NumberCell(True, None)),
    ("*", NumberCell(True, None)), ("＊ 12", NumberCell(True, 12)), ("", NumberCell(False, None)),
    ("※１", NumberCell(True, 1)), ("* 3", NumberCell(True, 3)),
])
def test_number_cells(text: str, cell: NumberCell) -> None:
    assert parse_number_cell(text) == cell


@given(st.booleans(), st.one_of(st.none(), st.integers(1, 999)), st.sampled_from(["", " ", "\u3000"]))
def test_number_cell_round_trip(marked: bool, number: int | None, space: str) -> None:
    text = ("※" if marked else "") + (space + str(number) if number is not None else "")
    assert parse_number_cell(text) == NumberCell(marked, number)


@pytest.mark.parametrize("text", ["a", "1a", "※※", "-"])
def test_bad_number_cells_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number_cell(text)


def test_number_fused_into_name() -> None:
    assert split_leading_number("2 西区一斉クリーンデー") == (2, "西区一斉クリーンデー")
    assert split_leading_number("第2次 いきいき西区さえあいプラン") is None
    assert split_leading_number("100年") is None


@given(st.sampled_from(RESULTS), st.text(alphabet="総務課地域健康福祉センター", min_size=1, max_size=10))
def test_result_fused_with_department_either_side(result: str, department: str) -> None:
    assert split_fused_result(f"{result} {department}", RESULTS) == (result, department, "before")
    assert split_fused_result(f"{department} {result}", RESULTS) == (result, department, "after")


def test_plain_cells_are_not_fusions() -> None:
    assert split_fused_result("総務課", RESULTS) is None
    assert split_fused_result("達成", RESULTS) is None
    assert split_fused_result("参加団体数 17団体", RESULTS) is None


@given(st.integers(1, 39))
def test_roman_numerals_round_trip(n: int) -> None:
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    text, rest = "", n
    for value, letters in numerals:
        while rest >= value:
            text, rest = text + letters, rest - value
    assert parse_roman(text) == text and roman_value(text) == n


def test_full_width_roman_numerals_fold_to_ascii() -> None:
    assert parse_roman("Ⅳ") == "IV" and parse_roman("Ⅱ") == "II"
    with pytest.raises(ValueError):
        parse_roman("IIII")


@pytest.mark.parametrize(("text", "value"), [("true", True), ("false", False), ("TRUE", True), ("", False)])
def test_booleans(text: str, value: bool) -> None:
    assert parse_bool(text) is value


def test_bad_boolean() -> None:
    with pytest.raises(ValueError):
        parse_bool("maybe")
