"""In a real Chromium, the payloads that once ran on page load (issue 8, item 1) run nowhere on the site."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sitecatalog import build
from test_site_escaping_property import catalog_from, write_catalog

PAYLOAD = 'x {tabindex=0 autofocus onfocus="alert(1)"} {onclick=alert(2)} <img src=x onerror=alert(3)> " onmouseover="alert(4)'


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


@pytest.mark.browser
def test_no_payload_runs_when_the_pages_load_or_are_focused_or_hovered(browser, tmp_path: Path):
    counter = iter(range(10_000))
    catalog = catalog_from(lambda: f"{PAYLOAD} {next(counter)}", lambda: "https://example.org/a'b'")
    site = build(write_catalog(tmp_path / "catalog", catalog), tmp_path)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    dialogs: list[str] = []
    try:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
        for path in ["papers/p.html", "datasets/d.html", "topics.html", "index.html", "taxonomy/explicit/slice.html"]:
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{path}")
            page.wait_for_load_state("load")
            # Focus and hover every element (clicks would navigate away): any handler a payload set would run.
            page.evaluate(
                "for (const e of document.querySelectorAll('body *')) {"
                " e.dispatchEvent(new FocusEvent('focus')); e.dispatchEvent(new MouseEvent('mouseover')); }"
            )
            assert "autofocus onfocus" in page.inner_text("body"), path  # shown as text, not as attributes
            assert page.locator("[onfocus], [onclick], [onerror], [onmouseover]").count() == 0, path
        page.close()
    finally:
        server.shutdown()
        server.server_close()
    assert dialogs == []
