"""Fixtures for the site tests: real builds into temporary folders, a loopback server, a real Chromium.

The real catalog's site is built once per session; browser tests drive Debian's
Chromium through Playwright against it, served by a ThreadingHTTPServer on
127.0.0.1. Any request to another host is refused and fails the test, as does
any console error.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sitecatalog import PUBLISHED_URL, REPO, build, write_site_catalog

from ai4radiology.catalog.catalog import Catalog
from ai4radiology.catalog.loader import load_catalog

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = REPO / "test-artifacts"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(scope="session")
def real_catalog() -> Catalog:
    return load_catalog(REPO / "catalog").require_valid()


EDIT_URL = "https://github.com/example/ai4radiology/edit/main/catalog/"


def _build_with_edit_links(catalog_dir: Path, workdir: Path) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CATALOG_EDIT_URL", EDIT_URL)  # as the Pages workflow sets it
        return build(catalog_dir, workdir)


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site catalog's site, built for PUBLISHED_URL (SITE_URL set, as the Pages workflow does)."""
    work = tmp_path_factory.mktemp("published-site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_URL", PUBLISHED_URL)
        return build(write_site_catalog(work / "catalog"), work)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_with_edit_links(REPO / "catalog", tmp_path_factory.mktemp("real-site"))


@pytest.fixture(scope="session")
def mini_catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The site tests' small catalog: authors, tags and hostile text that the real catalog lacks."""
    return load_catalog(write_site_catalog(tmp_path_factory.mktemp("mini-catalog"))).require_valid()


@pytest.fixture(scope="session")
def mini_site(mini_catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_with_edit_links(mini_catalog.root, tmp_path_factory.mktemp("mini-site"))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


def _serve(folder: Path) -> Iterator[str]:
    """`folder` served over HTTP on a free loopback port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="session")
def site_url(real_site: Path) -> Iterator[str]:
    """The real site."""
    yield from _serve(real_site)


@pytest.fixture(scope="session")
def mini_site_url(mini_site: Path) -> Iterator[str]:
    yield from _serve(mini_site)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; browser tests must run in CI")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Watch:
    """What a page did that it must not: console errors and requests leaving loopback."""

    def __init__(self) -> None:
        self.console_errors: list[str] = []
        self.outside_requests: list[str] = []


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def base_url(site_url: str) -> str:
    """The site a test's page opens; a test module overrides it to use another site."""
    return site_url


@pytest.fixture
def viewport() -> dict[str, int]:
    return {"width": 1280, "height": 900}


@pytest.fixture
def context(browser, base_url: str, viewport: dict[str, int], watch: Watch):
    context = browser.new_context(base_url=base_url, viewport=viewport, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))

    def loopback_only(route) -> None:
        if urlsplit(route.request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            watch.outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", loopback_only)
    yield context
    context.close()
    assert watch.outside_requests == [], "the site tried to reach another host"
    assert watch.console_errors == [], "the browser console logged errors"


@pytest.fixture
def page(context, watch: Watch):
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and watch.console_errors.append(message.text))
    page.on("pageerror", lambda error: watch.console_errors.append(str(error)))
    return page


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
