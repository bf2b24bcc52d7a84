"""The documentation names only what exists: every `recon` command and option named in README.md and
docs/*.md is one of the command line's, every `recon.toml` setting one of the settings model's, every
relative link reaches a file (and a heading, where it names one), and every JSON field of
docs/json.md is one a real `--json` document has, and every field a real document has is there.

Each check reads the pages as text and compares with the code itself (click's commands, pydantic's
models, a document made from the examples), so a renamed option, a dropped setting or a moved page
fails here; `test_each_check_fails_on_a_broken_name` breaks a name of each kind on purpose."""
from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from recon.cli import main
from recon.settings import Settings, load

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BENCHMARKS = ROOT / "benchmarks"

FENCE = re.compile(r"^( *)```(\w*)\n(.*?)^\1```", re.S | re.M)
SPAN = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
# `recon X` where a command line starts: at the start of a code line or span, after a shell's `&&`, `;`
# or `|`, behind a path (`.venv/bin/`, `.venv\Scripts\`); not in what a line echoes.
COMMAND = re.compile(r"(?:^\s*|&& |; |\| )(?:[\w.]+[/\\])*recon ([a-z][a-z-]*)")
LONG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
SHORT = re.compile(r"(?<![\w-])-[a-zA-Z](?![\w-])")
LINK = re.compile(r"\]\(([^)\s]+)\)")
SETTING = re.compile(r"^\[([a-z_.]+)\](?: ([a-z_]+))?(?: = (.+))?$")


def code_of(text: str) -> list[str]:
    """The code a page shows: each line of its fenced blocks, and each `span` outside them."""
    code: list[str] = []
    for block in FENCE.finditer(text):
        code += block.group(3).splitlines()
    code += SPAN.findall(FENCE.sub("", text))
    return code


def toml_blocks(text: str) -> list[str]:
    return [block.group(3) for block in FENCE.finditer(text) if block.group(2) == "toml"]


def command_params() -> dict[str, set[str]]:
    """command → the options it takes (long and short), from click itself; "" is the group's."""
    assert isinstance(main, click.Group)
    found = {"": {opt for p in main.params for opt in p.opts} | {"--help", "-h"}}
    for name, command in main.commands.items():
        found[name] = {opt for p in command.params for opt in p.opts if opt.startswith("-")} | {"--help", "-h"}
    return found


def benchmark_options() -> set[str]:
    """The options of the benchmark scripts the speed page runs (argparse's add_argument)."""
    return {m for path in BENCHMARKS.glob("*.py")
            for m in re.findall(r"add_argument\(\s*\"(--[a-z-]+)\"", path.read_text(encoding="utf-8"))}


# ── commands and options ─────────────────────────────────────────────────────────────────────────

def misnamed_commands_and_options(text: str, params: dict[str, set[str]], others: set[str]) -> list[str]:
    """What a page's code names that the command line lacks: `recon X` for X not a command; an
    option after `recon X` that X does not take; any other `--option` that no command takes and no
    benchmark script either. Other programs' lines (pip, python -X, soffice) are not recon's."""
    wrong = []
    every = set().union(*params.values())
    for code in code_of(text):
        line = code.split(" #")[0]  # a comment in a shell block is prose
        commands = list(COMMAND.finditer(line))
        for match in commands:
            name = match.group(1)
            if name not in params:
                wrong.append(f"recon {name}")
                continue
            rest = line[match.end():]
            end = COMMAND.search(rest)
            rest = rest[:end.start()] if end else rest
            wrong += [f"recon {name} {opt}" for opt in LONG.findall(rest) + SHORT.findall(rest)
                      if opt not in params[name]]
        if not commands and not re.search(r"\b(pip|python3?|soffice|pdftoppm|apt-get|py)\b", line):
            wrong += [opt for opt in LONG.findall(line) if opt not in every | others]
    return wrong


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_command_and_option_named_exists(page):
    text = page.read_text(encoding="utf-8")
    assert misnamed_commands_and_options(text, command_params(), benchmark_options()) == []


def test_the_docs_name_every_command():
    """The other way round: no command goes undocumented."""
    named = {m.group(1) for page in PAGES for line in code_of(page.read_text(encoding="utf-8"))
             for m in COMMAND.finditer(line)}
    assert set(main.commands) - named == set()  # type: ignore[attr-defined]


# ── settings ─────────────────────────────────────────────────────────────────────────────────────

def model_at(section: str) -> type | None:
    """The settings model of a dotted section (`journal.yayoi`), or None where there is none."""
    model: type = Settings
    for part in section.split("."):
        fields = model.__pydantic_fields__  # type: ignore[attr-defined]
        if part not in fields or not isinstance(fields[part].annotation, type):
            return None
        model = fields[part].annotation
    return model


def misnamed_settings(text: str, tmp_path: Path) -> list[str]:
    """Each ```toml block, loaded as recon loads a recon.toml (an unknown key or a bad value
    raises); each `[section] key = value` span, its section a model, its key a field, its value
    valid there."""
    wrong = []
    for i, block in enumerate(toml_blocks(text)):
        path = tmp_path / f"block{i}.toml"
        path.write_text(block, encoding="utf-8")
        try:
            load(path)
        except Exception as e:  # noqa: BLE001 (what the block names wrong: the settings' own one line)
            wrong.append(f"{e}")
    for span in SPAN.findall(FENCE.sub("", text)):
        setting = SETTING.match(span)
        if not setting:
            continue
        section, key, value = setting.groups()
        model = model_at(section)
        if model is None:  # a section of no model; [journal.departments] names contracts, any of them
            if not section.startswith("journal.departments"):
                wrong.append(span)
        elif key and key not in model.__pydantic_fields__:  # type: ignore[attr-defined]
            wrong.append(span)
        elif key and value:
            path = tmp_path / "span.toml"
            path.write_text(f"[{section}]\n{key} = {value}\n", encoding="utf-8")
            try:
                load(path)
            except Exception:  # noqa: BLE001 (a bad value, said by the settings' own one line)
                wrong.append(span)
    return wrong


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_setting_named_exists(page, tmp_path):
    assert misnamed_settings(page.read_text(encoding="utf-8"), tmp_path) == []


def test_the_settings_page_shows_every_setting_but_the_journals():
    """Each section's keys are in settings.md's block; [journal]'s are on the journal page. A key
    shown commented out (`# year = 2024`: an example of a setting whose default depends on the
    folder) counts, read as the line without its `# `."""
    def keys(text: str) -> set[str]:
        found = set()
        for block in toml_blocks(text):
            block = re.sub(r"^# (?=[a-z_]+ = )", "", block, flags=re.M)
            for section, values in tomllib.loads(block).items():
                found |= {f"{section}.{key}" for key in values}
                found |= {f"{section}.{key}.{k}" for key in values if isinstance(values[key], dict)
                          for k in values[key] if section != "journal" or key not in ("departments",)}
        return found

    shown = keys((ROOT / "docs" / "settings.md").read_text(encoding="utf-8"))
    shown |= keys((ROOT / "docs" / "journal.md").read_text(encoding="utf-8"))
    fields = {f"{section}.{key}" for section, field in Settings.__pydantic_fields__.items()
              for key, sub in field.annotation.__pydantic_fields__.items()  # type: ignore[union-attr]
              if not (isinstance(sub.annotation, type) and hasattr(sub.annotation, "__pydantic_fields__"))}
    fields |= {f"journal.{fmt}.{key}" for fmt in ("yayoi",)
               for key in model_at(f"journal.{fmt}").__pydantic_fields__}  # type: ignore[union-attr]
    assert fields - shown == set()


# ── links ────────────────────────────────────────────────────────────────────────────────────────

def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


# Pages written on a branch of their own, linked before they land: each leaves this list as it lands
# (the test below fails once one exists and is still here).
PENDING: set[Path] = set()  # a page linked before it is written


def broken_links(page: Path, text: str) -> list[str]:
    """Relative links that reach no file, or name a heading their page does not have."""
    wrong = []
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists() and file not in PENDING:
            wrong.append(target)
        elif anchor and file.suffix == ".md":
            headings = re.findall(r"^#+ (.+)$", FENCE.sub("", file.read_text(encoding="utf-8")), re.M)
            if anchor not in {slug(h) for h in headings}:
                wrong.append(target)
    return wrong


@pytest.mark.parametrize("page", [*PAGES, ROOT / "examples" / "README.md"], ids=lambda p: p.name)
def test_every_relative_link_reaches_its_file(page):
    assert broken_links(page, page.read_text(encoding="utf-8")) == []


def test_a_pending_page_is_one_not_written_yet():
    assert [page for page in PENDING if page.exists()] == []


def test_the_readme_leads_to_every_page():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = {(ROOT / target.partition("#")[0]).resolve() for target in LINK.findall(readme)}
    assert {page.resolve() for page in PAGES[1:]} - linked == set()


def test_the_readme_is_one_page():
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 120


# ── JSON fields ──────────────────────────────────────────────────────────────────────────────────

def paths(document: object, at: str = "") -> set[str]:
    """Every field of a document as a path: `months[].total.charge`; a call type's key is `<type>`
    and a total row (`totals.year`, `totals.company[]`) is `totals.<row>` below it."""
    found: set[str] = set()
    if isinstance(document, dict):
        for key, value in document.items():
            name = "<type>" if at.endswith(".types") else key
            path = f"{at}.{name}" if at else name
            found.add(path)
            found |= paths(value, "totals.<row>" if path == "totals.year" else path)
    elif isinstance(document, list):
        for item in document:
            found |= paths(item, "totals.<row>" if at == "totals.company" else f"{at}[]")
    return found


@pytest.fixture(scope="module")
def real_fields() -> set[str]:
    """The fields of `recon check --json` on the examples: the year, the records, the company."""
    found: set[str] = set()
    for example in ("2024", "calls/2024", "company/2024"):
        done = CliRunner().invoke(main, ["check", str(ROOT / "examples" / example), "--json", "-q"])
        found |= paths(json.loads(done.stdout))
    return found


def json_page() -> str:
    return (ROOT / "docs" / "json.md").read_text(encoding="utf-8")


def table_fields(text: str) -> set[str]:
    return set(re.findall(r"^\| `([^`]+)` \|", text, re.M))


def test_the_json_example_holds_only_real_fields(real_fields):
    (block,) = [b.group(3) for b in FENCE.finditer(json_page()) if b.group(2) == "json"]
    assert paths(json.loads(block)) - real_fields == set()


def test_the_json_table_names_every_real_field_and_no_other(real_fields):
    listed = table_fields(json_page())
    assert (listed - real_fields, real_fields - listed) == (set(), set())


def test_the_json_prose_names_real_fields(real_fields):
    """A dotted field in the prose (`total.charge`, `months[].findings[]`) ends a real path."""
    prose = FENCE.sub("", json_page()).split("## Every field")[0]
    named = [span for span in SPAN.findall(prose) if re.fullmatch(r"[a-z_]+(\[\])?(\.[a-z_]+(\[\])?)+", span)]
    assert named
    assert [n for n in named if not any(p == n or p.endswith(f".{n}") for p in real_fields)] == []


# ── each check can fail ──────────────────────────────────────────────────────────────────────────

def test_each_check_fails_on_a_broken_name(tmp_path, real_fields):
    params, others = command_params(), benchmark_options()
    commands = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    assert misnamed_commands_and_options(commands, params, others) == []
    assert misnamed_commands_and_options(commands.replace("recon init FOLDER", "recon setup FOLDER"),
                                         params, others) == ["recon setup"]
    assert misnamed_commands_and_options(commands.replace("[--strict]", "[--strict-mode]"),
                                         params, others) == ["recon check --strict-mode"]
    assert misnamed_commands_and_options("Pass `--verbose` to see more.", params, others) == ["--verbose"]
    assert misnamed_commands_and_options("`recon journal 2024 -x`", params, others) == ["recon journal -x"]

    settings = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert misnamed_settings(settings, tmp_path) == []
    assert len(misnamed_settings(settings.replace("burst_minutes = 10", "burst_window = 10"), tmp_path)) == 1
    assert misnamed_settings("Set `[calls] time_zone` for a PBX.", tmp_path) == ["[calls] time_zone"]
    assert misnamed_settings("Set `[call] timezone` for a PBX.", tmp_path) == ["[call] timezone"]
    assert misnamed_settings('Set `[tax] international = "zero"`.', tmp_path) == ['[tax] international = "zero"']

    page = ROOT / "docs" / "safety.md"
    assert broken_links(page, "see [commands](command.md)") == ["command.md"]
    assert broken_links(page, "see [commands](commands.md#exit-codes)") == ["commands.md#exit-codes"]
    assert broken_links(page, "see [commands](commands.md#exit-status)") == []

    example = '```json\n{"months": [{"totals": 1}]}\n```'
    (block,) = [b.group(3) for b in FENCE.finditer(example)]
    assert paths(json.loads(block)) - real_fields == {"months[].totals"}
    assert table_fields("| `months[].invoiced` | yen |\n| `months[].amount` | yen |\n") - real_fields == {
        "months[].amount"}
