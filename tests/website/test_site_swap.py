"""Publishing the site: atomic at every instant, even when the build is killed; one build at a time;
stale builds cleaned by the next run (issue 8, item 11)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sitecatalog import REPO, paper_yaml, write_site_catalog

from ai4radiology.cli.website import build
from ai4radiology.website import publish
from ai4radiology.website.build import SITE_MARK

# Runs `ai4radiology build` in a child that SIGKILLs itself at the chosen point: nothing gets to clean up.
KILLER = """
import os, signal, sys
from pathlib import Path
from ai4radiology.website import build as site_build, publish

point = sys.argv[1]
site = Path("site").absolute()
real_replace, real_build = os.replace, site_build.mkdocs_build

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def replace(src, dst, **kw):
    if Path(dst).absolute() == site and point == "before-rename":
        die()
    real_replace(src, dst, **kw)
    if Path(dst).absolute() == site and point == "after-rename":
        die()

def mkdocs_build(config):
    real_build(config)
    if point == "after-mkdocs":
        die()

os.replace = replace
site_build.mkdocs_build = mkdocs_build
from ai4radiology.cli import main
main(["build"])
"""


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    os.symlink(REPO / "templates", tmp_path / "templates")
    write_site_catalog(tmp_path / "catalog")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def paper_page(checkout: Path) -> str:
    return (checkout / "site" / "papers" / "alpha-net.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("point", ["after-mkdocs", "before-rename", "after-rename"])
def test_a_build_killed_at_any_point_leaves_a_whole_site_and_the_next_build_cleans_up(checkout, point):
    assert CliRunner().invoke(build, []).exit_code == 0
    (checkout / "catalog" / "papers" / "alpha-net.yaml").write_text(paper_yaml("alpha-net", name="KilledNet"))

    child = subprocess.run([sys.executable, "-c", KILLER, point], cwd=checkout, capture_output=True, text=True)
    assert child.returncode == -signal.SIGKILL, child.stderr

    assert (checkout / "site" / SITE_MARK).is_file()  # a whole site, the old or the new one
    expected = "KilledNet" if point == "after-rename" else "AlphaNet"
    assert expected in paper_page(checkout)
    leftovers = list(publish.builds_dir(checkout / "site").iterdir())
    if point != "after-rename":
        assert len(leftovers) > 1  # the killed run's staging is still there...

    result = CliRunner().invoke(build, [])
    assert result.exit_code == 0, result.output
    assert "KilledNet" in paper_page(checkout)
    remaining = [p.name for p in publish.builds_dir(checkout / "site").iterdir()]
    assert remaining == [Path(os.readlink(checkout / "site")).name]  # ...and gone after the next run


def test_a_second_build_stops_with_a_message_while_one_runs(checkout):
    site = checkout / "site"
    with publish.exclusive(publish.lock_file(site), str(site)):
        result = CliRunner().invoke(build, [])
    assert result.exit_code == 1
    assert "another build is writing" in result.output and "Traceback" not in result.output
    assert not site.exists()
    assert CliRunner().invoke(build, []).exit_code == 0  # the lock is free again


def test_a_site_from_before_the_link_is_replaced(checkout):
    """A site/ folder left by an older version becomes a build behind the link."""
    (checkout / "site").mkdir()
    (checkout / "site" / SITE_MARK).write_text("old")
    (checkout / ".site-building-x1").mkdir()  # staging of the old two-rename swap
    assert CliRunner().invoke(build, []).exit_code == 0
    assert (checkout / "site").is_symlink() and "AlphaNet" in paper_page(checkout)
    assert not (checkout / ".site-building-x1").exists()


def test_staging_and_the_lock_are_git_ignored(checkout):
    assert CliRunner().invoke(build, []).exit_code == 0
    names = [".site.builds/", ".site.lock", "site", ".README.md.abc123.tmp", "build/.site-docs.lock"]
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", *names], cwd=REPO, capture_output=True, text=True
    ).stdout.split()
    assert sorted(ignored) == sorted(names)
