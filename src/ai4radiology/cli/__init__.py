"""The `ai4radiology` command: a thin layer over the library modules."""

from __future__ import annotations

import click

from .. import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ai4radiology")
def main() -> None:
    """The living catalog of AI methods, code and datasets for 3D reconstruction in radiology.

    Records live as YAML files under catalog/; every command reads them through
    the validator, so a command never works on a half-valid catalog.
    """


from .bib import add, export  # noqa: E402
from .linkcheck import linkcheck  # noqa: E402
from .new import new  # noqa: E402
from .render import render  # noqa: E402
from .site import build, serve  # noqa: E402
from .validate import schemas, validate  # noqa: E402

for command in (validate, render, new, add, export, build, serve, linkcheck, schemas):
    main.add_command(command)
