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


from .validate import schemas, validate  # noqa: E402

main.add_command(validate)
main.add_command(schemas)
