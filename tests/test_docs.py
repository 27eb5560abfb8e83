"""Keep help and docs honest: the README and docs/ show every command with its real output.

Each ```console block in README.md and the pages under docs/ holds `$ ldn ...` lines, each
followed by what the command prints, as run with NO_COLOR=1 and COLUMNS=80 in the
repository's root (docs/regen.py says how a block is written). This test re-runs every one
and compares; it also checks that the CLI reference and the table of modules are what
docs/regen.py makes now, that the complete catalogue example in the docs validates and
verifies, and that the README stays a short front page. `python docs/regen.py` rewrites
whatever is stale from real runs.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"


def _regen() -> ModuleType:
    """docs/regen.py as a module: the same reading of the pages that rewrites them."""
    spec = importlib.util.spec_from_file_location("regen", DOCS / "regen.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["regen"] = module
    spec.loader.exec_module(module)
    return module


regen = _regen()
EXAMPLES = [example for page in regen.pages() for example in regen.examples(page)]


def _commands() -> set[str]:
    from ldn_evidence.cli import app

    return {command.name or command.callback.__name__ for command in app.registered_commands}  # type: ignore[union-attr]


def _run_in(page: Path) -> set[str]:
    """The ldn commands a page's console blocks run."""
    found = set()
    for command in (e.command for e in regen.examples(page)):
        words = [w for w in command.split() if "=" not in w]
        if len(words) > 1 and words[0] == "ldn":
            found.add(words[1])
    return found


def test_every_command_has_a_page_that_runs_it() -> None:
    missing = sorted(name for name in _commands() if not (DOCS / "commands" / f"{name}.md").exists())
    assert not missing, f"no page in docs/commands/ for: {missing}"
    not_run = sorted(name for name in _commands() if name not in _run_in(DOCS / "commands" / f"{name}.md"))
    assert not not_run, f"a command's page shows no real run of it: {not_run}"


def test_every_command_is_in_the_nav_and_the_index() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    index = (DOCS / "commands" / "index.md").read_text(encoding="utf-8")
    for name in _commands():
        assert f"commands/{name}.md" in nav, name
        assert f"({name}.md)" in index, name


def test_the_pages_have_examples() -> None:
    # A reading that found no block would make the test below pass on nothing.
    assert len(EXAMPLES) > 40
    assert {e.page for e in EXAMPLES} >= {README, DOCS / "reading.md", DOCS / "commands" / "show.md"}


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.where for e in EXAMPLES])
def test_console_output_is_real(example: Any, tmp_path: Path) -> None:
    actual = regen.run(example.command, tmp_path)
    stale = f"{example.where} is stale: run `python docs/regen.py`"
    assert regen.shown(example, actual) == list(example.expected), stale


def test_a_block_is_read_with_its_lines_and_its_cut() -> None:
    page = ROOT / "page.md"
    text = "intro\n\n```console\n$ ldn list\na\nb\n...\n$ COLUMNS=50 ldn show x\n```\n"
    found = regen.examples(page, text)
    assert [(e.line, e.command, e.expected) for e in found] == [
        (4, "ldn list", ("a", "b", "...")),
        (8, "COLUMNS=50 ldn show x", ()),
    ]
    assert regen.shown(found[0], ["1", "2", "3", "4"]) == ["1", "2", "..."]
    assert regen.shown(found[1], ["1", "2"]) == ["1", "2"]


def test_the_cli_reference_is_current() -> None:
    reference = regen.CLI_REFERENCE.read_text(encoding="utf-8")
    assert reference == regen.cli_reference(), "docs/reference/cli.md is stale: run `python docs/regen.py`"


def test_the_cli_reference_has_every_command_and_option() -> None:
    import typer.main

    from ldn_evidence.cli import app

    reference = regen.cli_reference()
    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert f"## `ldn {name}`" in reference
        for param in command.params:
            for option in getattr(param, "opts", []):
                if option.startswith("--"):
                    assert f"`{option}`" in reference, (name, option)


def test_the_module_table_is_current() -> None:
    page = DOCS / "internals" / "architecture.md"
    text = page.read_text(encoding="utf-8")
    assert "| `cli` |" in text
    assert regen.refill_modules(text) == text, "the module table is stale: run `python docs/regen.py`"


def _example_catalogue() -> str:
    text = (DOCS / "catalogue" / "adding-a-study.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- example: a complete catalogue.*?-->\n```yaml\n(.*?)```", text, re.DOTALL)
    assert match, "the complete example is gone from docs/catalogue/adding-a-study.md"
    return match.group(1)


def test_the_complete_example_validates_and_verifies(tmp_path: Path) -> None:
    from ldn_evidence.cli import app

    example = _example_catalogue()
    data = yaml.safe_load(example)
    (tmp_path / "data").mkdir()
    (tmp_path / "seeds").mkdir()
    (tmp_path / "publications").mkdir()
    catalogue = tmp_path / "data" / "studies.yaml"
    catalogue.write_text(example, encoding="utf-8")
    for document in data["documents"]:
        shutil.copy(ROOT / "seeds" / document["seed"], tmp_path / "seeds")
    for publication in data["publications"]:
        shutil.copy(ROOT / "publications" / f"{publication['id']}.txt", tmp_path / "publications")
    for command in ("validate", "verify"):
        result = CliRunner().invoke(app, ["--no-cache", command, str(catalogue)], env={"NO_COLOR": "1"})
        assert result.exit_code == 0, result.output
    assert "1 study, 1 document" in CliRunner().invoke(app, ["--no-cache", "validate", str(catalogue)]).output


def test_the_complete_example_is_the_shipped_record() -> None:
    """The page says the example is the fibromyalgia pilot as the shipped catalogue holds it, cut."""
    example = yaml.safe_load(_example_catalogue())
    shipped = yaml.safe_load((ROOT / "data" / "studies.yaml").read_text(encoding="utf-8"))
    parts = {"documents": ("seed", "sources"), "studies": ("id", "sources"), "publications": ("id", "facts")}
    for section, (key, many) in parts.items():
        records = {record[key]: record for record in shipped[section]}
        for record in example[section]:
            whole = records[record[key]]
            for field, value in record.items():
                if field in (many, "verified_on"):
                    assert all(item in whole[field] for item in value), (record[key], field)
                else:
                    assert whole.get(field) == value, (record[key], field)


def _not_retold_example() -> tuple[str, str]:
    """The example of a study no article retells in docs/method/search.md, and its excerpt file."""
    text = (DOCS / "method" / "search.md").read_text(encoding="utf-8")
    record = re.search(r"<!-- example: a study no article retells.*?-->\n```yaml\n(.*?)```", text, re.DOTALL)
    excerpts = re.search(r"<!-- example: its excerpts -->\n```text\n(.*?)```", text, re.DOTALL)
    assert record and excerpts, "the example of a study no article retells is gone from docs/method/search.md"
    return record.group(1), excerpts.group(1)


def test_the_not_retold_example_validates_and_verifies(tmp_path: Path) -> None:
    from ldn_evidence.cli import app

    example, excerpts = _not_retold_example()
    data = yaml.safe_load(example)
    for folder in ("data", "seeds", "publications"):
        (tmp_path / folder).mkdir()
    catalogue = tmp_path / "data" / "studies.yaml"
    catalogue.write_text(example, encoding="utf-8")
    (publication,) = data["publications"]
    # The page shows the excerpt file as shipped, and the example verifies against the page's copy.
    assert excerpts == (ROOT / "publications" / f"{publication['id']}.txt").read_text(encoding="utf-8")
    (tmp_path / "publications" / f"{publication['id']}.txt").write_text(excerpts, encoding="utf-8")
    for command in ("validate", "verify"):
        result = CliRunner().invoke(app, ["--no-cache", command, str(catalogue)], env={"NO_COLOR": "1"})
        assert result.exit_code == 0, result.output
    checked = CliRunner().invoke(app, ["--no-cache", "validate", str(catalogue)]).output
    assert "1 study, 0 documents, 0 cautions, 1 publications" in checked
    (study,) = data["studies"]
    assert study["sources"] == [] and publication["study"] == [study["id"]]


def test_the_not_retold_example_is_the_shipped_record() -> None:
    example = yaml.safe_load(_not_retold_example()[0])
    shipped = yaml.safe_load((ROOT / "data" / "studies.yaml").read_text(encoding="utf-8"))
    for section in ("studies", "publications"):
        records = {record["id"]: record for record in shipped[section]}
        for record in example[section]:
            whole = records[record["id"]]
            for field, value in record.items():
                if field in ("facts", "verified_on", "not_seen"):
                    assert all(item in whole[field] for item in value), (record["id"], field)
                else:
                    assert whole.get(field) == value, (record["id"], field)


def test_the_readme_is_a_short_front_page() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 200
    assert re.search(r"```sh\n[^`]*python -m pytest", text), "the README's test command"
    assert "not medical advice" in text.lower()
    assert len([e for e in EXAMPLES if e.page == README]) == 4


def test_the_readmes_links_lead_somewhere() -> None:
    text = README.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text)
    assert links
    missing = [link for link in links if not (ROOT / link).exists()]
    assert not missing, missing
