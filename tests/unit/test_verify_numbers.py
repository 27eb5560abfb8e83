"""verify checks every number of findings and harms, and n as a count; a bare `validate` checks the edited file."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ldn_evidence.cli import app
from ldn_evidence.loader import load, seeds_folder
from ldn_evidence.text import fold, numbers_in
from ldn_evidence.verify import verify

from conftest import MINIMAL, SHIPPED, catalogue_text, study_yaml

SEED = (
    "A randomized trial of ten people with MS took 4.5 mg nightly for 8 weeks; pain fell. "
    "77% improved. Headache in 12% of patients; 2 of 40 stopped. 1,200 were screened. 16 people had nausea.\n"
)


def _problems(write_catalogue: Callable[[str], Path], quote: str, **fields: object) -> list[str]:
    path = write_catalogue(catalogue_text(study_yaml("s", sources=[{"seed": "a.txt", "quote": quote}], **fields)))
    (path.parent.parent / "seeds" / "a.txt").write_text(SEED, encoding="utf-8")
    return [str(p) for p in verify(load(path), seeds_folder(path))]


@pytest.mark.parametrize(
    ("fields", "quote", "unbacked"),
    [
        ({"adverse_events": [{"event": "liver failure", "share": "16%"}]}, "Headache in 12% of patients", ["16%"]),
        ({"adverse_events": [{"event": "liver failure 16%"}]}, "Headache in 12% of patients", ["16%"]),
        ({"adverse_events": [{"event": "headache", "share": "12%"}]}, "Headache in 12% of patients", []),
        ({"adverse_events": [{"event": "headache", "share": "12"}]}, "Headache in 12% of patients", ["12"]),
        ({"adverse_events": [{"event": "stopping", "share": "2 of 40"}]}, "2 of 40 stopped", []),
        ({"adverse_events": [{"event": "stopping", "share": "2%"}]}, "2 of 40 stopped", ["2%"]),
        ({"findings": [{"measure": "pain", "effect": "benefit", "detail": "pain fell in 40%"}]}, "pain fell", ["40%"]),
        ({"findings": [{"measure": "pain", "effect": "benefit", "detail": "77% improved"}]}, "77% improved", []),
        ({"findings": [{"measure": "pain", "effect": "benefit", "detail": "fell 32.5% against 2.3%"}]},
         "pain fell", ["2.3%", "32.5%"]),
        ({"findings": [{"measure": "pain", "effect": "benefit", "detail": "six of ten improved"}]},
         "A randomized trial of ten people", ["6"]),
        ({"findings": [{"measure": "pain", "effect": "benefit", "detail": "1,200 screened"}]}, "1,200 were screened",
         []),
    ],
)  # fmt: skip
def test_every_number_of_a_finding_or_harm_must_stand_in_a_quote(
    write_catalogue: Callable[[str], Path], fields: dict[str, object], quote: str, unbacked: list[str]
) -> None:
    problems = [p for p in _problems(write_catalogue, quote, **fields) if "is not named" not in p]  # tested below
    found = sorted(p.split(": ")[-1].split(" does not appear")[0] for p in problems)
    assert found == sorted(unbacked), problems
    field = "adverse_events" if "adverse_events" in fields else "findings"
    assert all(f": s: {field}: " in p for p in problems)


def test_n_is_backed_by_a_count_of_people_not_a_percentage(write_catalogue: Callable[[str], Path]) -> None:
    (problem,) = _problems(write_catalogue, "77% improved", n=77)
    assert problem.endswith("s: n: 77 appears in the record's quotes only as a percentage, not as a count of people")
    assert _problems(write_catalogue, "1,200 were screened", n=1200) == []
    assert _problems(write_catalogue, "A randomized trial of ten people", n=10) == []
    (absent,) = _problems(write_catalogue, "A randomized trial of ten people", n=11)
    assert absent.endswith("s: n: 11 does not appear in any of the record's quotes")


def test_a_count_written_in_words_backs_n_and_findings_but_not_as_the_other_kind(
    write_catalogue: Callable[[str], Path],
) -> None:
    quote = "Thirty-one patients finished; twenty one percent had headache"

    def problems(**fields: object) -> list[str]:
        path = write_catalogue(catalogue_text(study_yaml("s", sources=[{"seed": "a.txt", "quote": quote}], **fields)))
        (path.parent.parent / "seeds" / "a.txt").write_text(quote + ".\n", encoding="utf-8")
        return [str(p) for p in verify(load(path), seeds_folder(path)) if ": s: n: " in str(p) or "findings" in str(p)]

    assert problems(n=31) == []
    (percent,) = problems(n=21)
    assert percent.endswith("s: n: 21 appears in the record's quotes only as a percentage, not as a count of people")
    finding = {"measure": "pain", "effect": "benefit", "detail": "31 finished; headache in 21%"}
    assert problems(n=31, findings=[finding]) == []
    wrong = {"measure": "pain", "effect": "benefit", "detail": "31% finished"}
    (found,) = problems(n=31, findings=[wrong])
    assert found.endswith("s: findings: 31% does not appear in any of the record's quotes")


NUMBER = st.one_of(
    st.integers(min_value=0, max_value=10**12).map(lambda n: (f"{n:,}", float(n))),
    st.integers(min_value=0, max_value=10**6).map(str).map(lambda s: (s, float(s))),
    st.decimals(min_value=0, max_value=1000, places=2).map(lambda d: (str(d), float(d))),
)


@settings(max_examples=300, deadline=None)
@given(NUMBER, st.booleans(), st.sampled_from(["", "people ", "(", "about "]), st.sampled_from(["", " people", "."]))
def test_numbers_in_reads_back_a_written_number(
    number: tuple[str, float], percent: bool, before: str, after: str
) -> None:
    written, value = number
    text = fold(f"{before}{written}{'%' if percent else ''}{after}").lower()
    assert (value, percent) in numbers_in(text)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("0123456789.,% abcten-"), max_size=3000))
def test_numbers_in_reads_any_text_in_one_pass(text: str) -> None:
    found = numbers_in(text)
    assert all(isinstance(value, float) for value, _ in found)
    assert len(found) <= len(text)


# --- validate inside a checkout -----------------------------------------------------------------


def test_a_bare_validate_in_a_checkout_checks_its_catalogue_and_says_so(
    runner: CliRunner, write_catalogue: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_catalogue(MINIMAL.replace("n: 10", "n: many"))
    monkeypatch.chdir(path.parent)  # data/, below the checkout's top
    monkeypatch.delenv("LDN_DATA", raising=False)
    os.makedirs(path.parent.parent / ".git", exist_ok=True)
    result = runner.invoke(app, ["--no-cache", "validate"])
    assert result.exit_code == 1
    assert "the catalogue of this folder, not the installed one" in result.stderr
    assert "studies.yaml" in result.stderr.splitlines()[0]
    assert "n:" in result.stdout
    fixed = runner.invoke(app, ["--no-cache", "verify"])
    assert "the catalogue of this folder" in fixed.stderr


def test_a_bare_validate_elsewhere_names_the_installed_catalogue(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")  # the top of some other checkout
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LDN_DATA", raising=False)
    result = runner.invoke(app, ["--no-cache", "validate"])
    assert result.exit_code == 0, result.stderr
    assert "checking the installed catalogue" in result.stderr
    assert os.path.realpath(SHIPPED) in result.stderr
    assert "use --data" in result.stderr


def test_a_named_catalogue_is_checked_without_a_note(runner: CliRunner, write_catalogue: Callable[[str], Path]) -> None:
    path = write_catalogue(MINIMAL)
    result = runner.invoke(app, ["--no-cache", "--data", str(path), "validate"])
    assert result.exit_code == 0
    assert result.stderr.startswith(f"{path}: valid")


@pytest.mark.parametrize(
    ("text", "numbers"),
    [("liver failure 16,0%", {(16.0, True)}), ("32,5% of 1,200", {(32.5, True), (1200.0, False)}),
     ("doses 1, 2, 3", {(1.0, False), (2.0, False), (3.0, False)}), ("versions 1.2.3%", {(1.0, False), (2.0, False),
     (3.0, True)}), ("ten percent", {(10.0, True)}), ("covid19 n=40.", {(40.0, False)})],
)  # fmt: skip
def test_numbers_written_the_european_way_or_in_lists_are_read(text: str, numbers: set[tuple[float, bool]]) -> None:
    assert numbers_in(text) == numbers


def test_an_invented_percentage_with_a_decimal_comma_fails(write_catalogue: Callable[[str], Path]) -> None:
    harm = {"adverse_events": [{"event": "headache", "share": "16,0%"}]}
    (problem,) = _problems(write_catalogue, "Headache in 12% of patients", **harm)
    assert problem.endswith("adverse_events: 16% does not appear in any of the record's quotes")


def test_a_data_folder_in_a_shared_parent_is_not_picked_up(tmp_path: Path) -> None:
    from ldn_evidence.paths import local_catalogue

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "studies.yaml").write_text("studies: []\n", encoding="utf-8")
    below = tmp_path / "someone" / "work"
    below.mkdir(parents=True)
    assert local_catalogue(str(below)) is None
    assert local_catalogue(str(tmp_path)) == str(tmp_path / "data" / "studies.yaml")
    (tmp_path / "someone" / ".git").mkdir()
    (tmp_path / "someone" / "data").mkdir()
    (tmp_path / "someone" / "data" / "studies.yaml").write_text("studies: []\n", encoding="utf-8")
    assert local_catalogue(str(below)) == str(tmp_path / "someone" / "data" / "studies.yaml")


def test_a_local_catalogue_that_links_out_of_its_checkout_is_refused_not_read(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "elsewhere" / "key.txt"
    secret.parent.mkdir()
    secret.write_text("secret: [the key", encoding="utf-8")
    checkout = tmp_path / "cloned"
    (checkout / "data").mkdir(parents=True)
    (checkout / ".git").mkdir()
    (checkout / "data" / "studies.yaml").symlink_to(secret)
    monkeypatch.chdir(checkout)
    monkeypatch.delenv("LDN_DATA", raising=False)
    for command in ("validate", "verify"):
        result = runner.invoke(app, ["--no-cache", command])
        assert result.exit_code == 1
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "the catalogue found here is a link that leads out of" in result.stderr
        assert "the key" not in result.stdout + result.stderr


@pytest.mark.parametrize("share", ["١٦%", "16\uff05", "16\ufe6a", "16\u066a", "16 per cent", "16 percent"])
def test_an_invented_percentage_written_another_way_still_fails(
    write_catalogue: Callable[[str], Path], share: str
) -> None:
    harm = {"adverse_events": [{"event": "nausea", "share": share}]}
    (problem,) = _problems(write_catalogue, "16 people had nausea", **harm)
    assert problem.endswith("adverse_events: 16% does not appear in any of the record's quotes")


# --- what a number is attached to -----------------------------------------------------------------------

RETRO = (
    "A retrospective study assessed 215 patients. The therapy was given for a median period of 804 days. "
    "6% reported insomnia, and 5% complained of having vivid dreams. 60% of subjects reported less weakness."
)


@pytest.mark.parametrize(
    ("harm", "unbacked"),
    [
        ({"event": "insomnia", "share": "6%"}, []),
        ({"event": "vivid dreams", "share": "5%"}, []),
        # The number stands in the quote, but beside another finding or another harm.
        ({"event": "liver failure", "share": "60%"}, ["not named"]),
        ({"event": "weakness", "share": "6%"}, ["6%"]),
        ({"event": "insomnia", "share": "5%"}, ["5%"]),
        ({"event": "vivid dreams", "share": "6%"}, ["6%"]),
        ({"event": "insomnia 60%"}, ["60%"]),
        # A harm with no share is checked by its name.
        ({"event": "liver failure"}, ["not named"]),
        ({"event": "insomnia"}, []),
    ],
)  # fmt: skip
def test_a_harms_number_must_stand_beside_the_harm(
    write_catalogue: Callable[[str], Path], harm: dict[str, str], unbacked: list[str]
) -> None:
    problems = [p for p in _problems(write_catalogue, RETRO, n=215, adverse_events=[harm]) if "adverse_events" in p]
    assert len(problems) == len(unbacked), problems
    for problem, expected in zip(sorted(problems), sorted(unbacked), strict=True):
        assert expected in problem


@pytest.mark.parametrize(
    ("quote", "n", "backed"),
    [
        (RETRO, 215, True),
        (RETRO, 804, False),  # 804 days
        ("Each took 4.5 mg for 12 weeks in 12 clinics.", 12, False),
        ("Twelve weeks of LDN; twelve patients finished.", 12, True),
        ("The trial ran 40 weeks. 12 women took part.", 40, False),
        ("A trial of 40 participants ran 12 weeks.", 40, True),
        ("Of 1,200 screened, 80 people were randomized.", 80, True),
    ],
)
def test_n_must_be_a_number_of_people_not_of_days_or_milligrams(
    write_catalogue: Callable[[str], Path], quote: str, n: int, backed: bool
) -> None:
    problems = [p for p in _problems(write_catalogue, quote, n=n) if ": s: n: " in p]
    assert (problems == []) == backed, problems
    if not backed:
        assert "is not stated as a count of people" in problems[0] or "does not appear" in problems[0]


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(["days", "weeks", "months", "years", "mg", "milligrams", "hours", "times"]),
    st.integers(min_value=2, max_value=5000),
    st.sampled_from(["", "The study ran for ", "Patients were followed for ", "in "]),
)
def test_no_unit_of_time_or_dose_backs_n(unit: str, number: int, before: str) -> None:
    from ldn_evidence.verify import counts_people

    quote = fold(f"{before}{number:,} {unit}; patients improved.").lower()
    assert not counts_people(quote, float(number))
    assert counts_people(fold(f"{before}{number:,} patients improved.").lower(), float(number))


def test_a_harm_stating_very_many_numbers_is_checked_in_bounded_work(write_catalogue: Callable[[str], Path]) -> None:
    share = " ".join(f"{k}%" for k in range(2_000))
    problems = [p for p in _problems(write_catalogue, RETRO, adverse_events=[{"event": "insomnia", "share": share}])]
    assert any("states 2,000 numbers; only the first 32 are checked beside its name" in p for p in problems)


@pytest.mark.parametrize("quote", ["12 " * 16_000 + "patients.", "12 days, " * 10_000 + "12 patients."])
def test_a_quote_repeating_n_is_read_at_a_bounded_number_of_places(monkeypatch: pytest.MonkeyPatch, quote: str) -> None:
    from ldn_evidence import verify as module

    calls = []
    real = module.counted_in

    def counting(*args: object, **kwargs: object) -> bool:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "counted_in", counting)
    module.counts_people(fold(quote).lower(), 12.0)
    assert len(calls) <= module._COUNT_PLACES
