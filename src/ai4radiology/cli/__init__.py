"""The `ai4radiology` command: a thin layer over the library modules."""

from __future__ import annotations

from importlib import import_module

import click

from .. import __version__

# name -> "module:attribute"; imported only when run, so `validate` in a pre-commit hook
# does not pay for the link checker, httpx, mkdocs and bibtexparser.
COMMANDS = {
    "validate": "validate:validate",
    "render": "render:render",
    "new": "new:new",
    "add": "bib:add",
    "export": "bib:export",
    "enrich": "lookup:enrich",
    "discover": "lookup:discover",
    "build": "website:build",
    "serve": "website:serve",
    "linkcheck": "linkcheck:linkcheck",
    "schemas": "validate:schemas",
}


class LazyGroup(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        from ai4radiology.catalog.writer import WriteFailed

        try:
            return super().invoke(ctx)
        except WriteFailed as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(2)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name].split(":")
        command = getattr(import_module(f".{module}", __name__), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{COMMANDS[cmd_name]} is not a click command")
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ai4radiology")
def main() -> None:
    """The living catalog of AI methods, code and datasets for 3D reconstruction in radiology.

    Records live as YAML files under catalog/; every command reads them through
    the validator, so a command never works on a half-valid catalog.

    Exit status: 0 on success; 1 when the catalog or an input is invalid; 2 when a
    file cannot be written (disk full, read-only folder), the old file left intact.
    """
