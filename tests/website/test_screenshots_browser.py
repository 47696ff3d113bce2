"""Screenshots of the main page types, desktop and phone, light and dark, into test-artifacts/ (git-ignored),
for a person to look at; the test checks that each page drew its content."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_screenshots_of_the_main_pages(page, real_catalog, artifacts):
    dataset = max(real_catalog.datasets, key=lambda d: len(real_catalog.papers_using(d.id)))
    shots = {
        "home": "index.html",
        "explorer": "explorer.html",
        "paper": "papers/r2-gaussian.html",
        "dataset": f"datasets/{dataset.id}.html",
    }
    for scheme in ["light", "dark"]:
        page.emulate_media(color_scheme=scheme)
        for name, path in shots.items():
            page.goto(path)
            page.wait_for_load_state("networkidle")
            if name == "explorer":
                expect(page.locator("[data-explorer]")).to_have_attribute("data-ready", "true")
            suffix = "" if scheme == "light" else "-dark"
            page.screenshot(path=artifacts / f"site-{name}{suffix}.png", full_page=True)
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(PHONE)
    for name in ["explorer", "paper"]:
        page.goto(shots[name])
        page.wait_for_load_state("networkidle")
        page.screenshot(path=artifacts / f"site-{name}-phone.png", full_page=False)
    written = sorted(artifacts.glob("site-*.png"))
    assert len(written) >= 10 and all(path.stat().st_size > 10_000 for path in written)
