"""README and CONTRIBUTING stay true to the CLI: every command is documented, every documented one exists."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ai4radiology.cli import main

REPO = Path(__file__).resolve().parents[2]
DOCS = {name: (REPO / name).read_text(encoding="utf-8") for name in ("README.md", "CONTRIBUTING.md")}


def all_commands(group: click.Group = main, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], click.Command]:
    found = {}
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        found[(*prefix, name)] = command
        if isinstance(command, click.Group):
            found.update(all_commands(command, (*prefix, name)))
    return found


def documented_invocations(text: str) -> list[list[str]]:
    """`ai4radiology ...` invocations written in inline code or code blocks."""
    snippets = re.findall(r"`(ai4radiology [^`\n]+)`", text) + re.findall(r"^\s*(?:\$ )?(ai4radiology .+)$", text, re.M)
    invocations = []
    for snippet in snippets:
        words = shlex.split(snippet.split("#")[0].replace("…", "").split("|")[0])
        invocations.append(words[1:])
    return invocations


def resolve(words: list[str]) -> tuple[click.Command, list[str]]:
    command: click.Command = main
    rest = list(words)
    while isinstance(command, click.Group) and rest and command.get_command(click.Context(command), rest[0]):
        command = command.get_command(click.Context(command), rest.pop(0))
    return command, rest


@pytest.mark.parametrize("doc", sorted(DOCS))
def test_documented_commands_and_options_exist(doc):
    invocations = documented_invocations(DOCS[doc])
    assert invocations, f"{doc} shows no ai4radiology command"
    for words in invocations:
        command, rest = resolve(words)
        assert command is not main, f"{doc}: unknown command in `ai4radiology {' '.join(words)}`"
        options = {
            opt for param in command.params for opt in getattr(param, "opts", []) + getattr(param, "secondary_opts", [])
        }
        for word in rest:
            if word.startswith("--"):
                assert word.split("=")[0] in options, f"{doc}: `{word}` is not an option of `{command.name}`"


def test_every_command_is_in_the_readme_table():
    table = DOCS["README.md"].split("## Working with the catalog")[1].split("\n\n<!--")[0]
    for path, command in all_commands().items():
        if isinstance(command, click.Group):
            continue
        words = " ".join(path)
        assert f"ai4radiology {words}" in table or f"`{words}`" in table, f"README misses `{words}`"


@pytest.mark.parametrize("path", sorted(all_commands()), ids=" ".join)
def test_every_help_text_renders(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: ")
    assert all_commands()[path].get_short_help_str()


def test_module_entry_point_matches_console_script():
    import subprocess
    import sys

    output = subprocess.run(
        [sys.executable, "-m", "ai4radiology", "--help"], capture_output=True, text=True, check=True
    )
    listed = output.stdout.split("Commands:")[1].split()
    assert set(main.list_commands(click.Context(main))) <= set(listed)
