"""`ai4radiology build` and `serve` as a contributor runs them, from a checkout-like folder."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from urllib.request import urlopen

import pytest
from click.testing import CliRunner
from sitecatalog import REPO, paper_yaml, write_site_catalog

from ai4radiology.cli.website import build


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder laid out like the repository: catalog/, templates/, mkdocs.yml."""
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    write_site_catalog(tmp_path / "catalog")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_build(*args: str):
    return CliRunner().invoke(build, list(args))


def test_build_writes_the_site_and_the_docs_folder_of_mkdocs_yml(checkout):
    result = run_build()
    assert result.exit_code == 0, result.output
    assert (checkout / "site" / "papers" / "gamma-net.html").is_file()
    assert (checkout / "build" / "site-docs" / "papers" / "gamma-net.md").is_file()
    papers, datasets = (len(list((checkout / "catalog" / kind).glob("*.yaml"))) for kind in ("papers", "datasets"))
    assert f"built site from {papers} papers and {datasets} datasets" in result.output


def test_invalid_catalog_stops_the_build_with_the_validators_report(checkout):
    (checkout / "catalog" / "papers" / "alpha-net.yaml").write_text(paper_yaml("alpha-net", year="1800"))
    result = run_build()
    assert result.exit_code == 1
    assert "catalog/papers/alpha-net.yaml:5:7: error: year:" in result.output
    assert "Traceback" not in result.output and not (checkout / "site").exists()


def test_a_named_link_report_must_exist(checkout):
    result = run_build("--linkcheck-report", "missing.json")
    assert result.exit_code == 1
    assert "cannot read the link report missing.json" in result.output and "Traceback" not in result.output


def test_a_malformed_link_report_is_explained(checkout):
    (checkout / "report.json").write_text(json.dumps([{"url": "https://x.example.org", "status": "ok"}]))
    result = run_build("--linkcheck-report", "report.json")
    assert result.exit_code == 1
    assert "result 1 is malformed" in result.output and "checked_at" in result.output


def test_the_default_link_report_is_used_when_present(checkout):
    paper_url = "https://papers.example.org/alpha-net"
    (checkout / "linkcheck-report.json").write_text(
        json.dumps(
            [
                {
                    "url": paper_url,
                    "status": "moved",
                    "http_status": 301,
                    "final_url": "https://new.example.org/a",
                    "checked_at": "2025-07-04T10:00:00+00:00",
                    "origins": [],
                }
            ]
        )
    )
    assert run_build().exit_code == 0
    page = (checkout / "site" / "papers" / "alpha-net.html").read_text(encoding="utf-8")
    assert "moved 2025-07-04" in page and "now at https://new.example.org/a" in page


def test_build_never_replaces_a_folder_it_did_not_write_unless_forced(checkout):
    (checkout / "notes").mkdir()
    (checkout / "notes" / "mine.md").write_text("my notes")
    result = run_build("--output", "notes")
    assert result.exit_code == 1
    assert "notes holds files that ai4radiology did not generate" in result.output
    assert (checkout / "notes" / "mine.md").read_text() == "my notes"
    result = run_build("--output", "notes", "--force")
    assert result.exit_code == 0, result.output
    assert not (checkout / "notes" / "mine.md").exists() and (checkout / "notes" / "index.html").is_file()


def test_a_failing_build_leaves_the_previous_site_in_place(checkout):
    assert run_build().exit_code == 0
    before = (checkout / "site" / "index.html").read_text(encoding="utf-8")
    home = checkout / "templates" / "site" / "home.md.j2"
    home.write_text(home.read_text(encoding="utf-8") + "\n[a broken link](no-such-page.md)\n", encoding="utf-8")
    result = run_build()
    assert result.exit_code == 1
    assert "no-such-page.md" in result.output and "strict" in result.output
    assert (checkout / "site" / "index.html").read_text(encoding="utf-8") == before
    # Nothing left of the failed build: the builds folder holds the published build only.
    assert sorted(p.name for p in checkout.iterdir() if p.name.startswith(".site")) == [".site.builds", ".site.lock"]
    assert [p.name for p in (checkout / ".site.builds").iterdir()] == [Path(os.readlink(checkout / "site")).name]


def test_a_template_error_names_the_template(checkout):
    paper = checkout / "templates" / "site" / "paper.md.j2"
    paper.write_text(paper.read_text(encoding="utf-8") + "{{ paper.no_such_field }}\n", encoding="utf-8")
    result = run_build()
    assert result.exit_code == 1
    assert "paper.md.j2" in result.output and "no_such_field" in result.output
    assert "Traceback" not in result.output


def _read_lines(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))


def _next_line(lines: queue.Queue, starting: str, seen: list[str]) -> str:
    while True:
        line = lines.get(timeout=120)
        seen.append(line)
        if line.startswith(starting):
            return line


def test_serve_rebuilds_after_a_record_changes_and_stops_on_ctrl_c(checkout):
    process = subprocess.Popen(
        [
            sys.executable,
            "-u",
            "-c",
            "from ai4radiology.cli.website import serve; serve()",
            "--dev-addr",
            "127.0.0.1:0",
        ],
        cwd=checkout,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        # Started from a background job, the child would inherit SIGINT ignored and never see Ctrl+C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        url = _next_line(lines, "serving ", seen).removeprefix("serving ")
        _next_line(lines, "watching ", seen)
        assert "AlphaNet" in urlopen(url + "papers/alpha-net.html").read().decode()

        (checkout / "catalog" / "papers" / "alpha-net.yaml").write_text(paper_yaml("alpha-net", name="RenamedNet"))
        _next_line(lines, "built the site", seen)
        assert "RenamedNet" in urlopen(url + "papers/alpha-net.html").read().decode()

        (checkout / "catalog" / "papers" / "alpha-net.yaml").write_text(paper_yaml("alpha-net", year="1800"))
        _next_line(lines, "still serving the last good build", seen)
        assert "RenamedNet" in urlopen(url + "papers/alpha-net.html").read().decode()
        assert any("alpha-net.yaml:5:7: error: year" in line for line in seen)

        # Input that once crashed serve (issue 8, item 6): an impossible date, a template that is not UTF-8.
        (checkout / "catalog" / "papers" / "alpha-net.yaml").write_text(paper_yaml("alpha-net", added="2025-06-31"))
        _next_line(lines, "still serving the last good build", seen)
        assert any("alpha-net.yaml:13:8: error: added: '2025-06-31' is not a real date" in line for line in seen)
        template = checkout / "templates" / "site" / "paper.md.j2"
        original = template.read_bytes()
        template.write_bytes(b"\xff\xfe not UTF-8 " + original)
        (checkout / "catalog" / "papers" / "alpha-net.yaml").write_text(paper_yaml("alpha-net", name="FixedNet"))
        _next_line(lines, "still serving the last good build", seen)
        assert any("is not UTF-8 text" in line for line in seen)
        assert "RenamedNet" in urlopen(url + "papers/alpha-net.html").read().decode()
        template.write_bytes(original)
        _next_line(lines, "built the site", seen)
        assert "FixedNet" in urlopen(url + "papers/alpha-net.html").read().decode()

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
        _next_line(lines, "stopped", seen)
    finally:
        if process.poll() is None:
            process.kill()
    assert not any("Traceback" in line for line in seen), seen


def test_without_pagefind_the_build_fails_clearly_and_keeps_the_previous_site(checkout, monkeypatch):
    assert run_build().exit_code == 0
    before = (checkout / "site" / "index.html").read_text(encoding="utf-8")
    monkeypatch.setitem(sys.modules, "pagefind_bin", None)  # as if `pagefind[bin]` were not installed
    result = run_build()
    assert result.exit_code == 1
    assert "Pagefind is not installed" in result.output and "pip install 'pagefind[bin]'" in result.output
    assert "Traceback" not in result.output
    assert (checkout / "site" / "index.html").read_text(encoding="utf-8") == before
    assert (checkout / "site" / "pagefind" / "pagefind.js").is_file()
