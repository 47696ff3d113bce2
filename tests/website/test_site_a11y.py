"""Accessibility of every page type, light and dark: axe-core (bundled by axe-playwright-python, never
fetched from a CDN) finds no serious or critical violation, and keyboard focus is always visible."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from ai4radiology.render.views import paper_order

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def page_types(catalog) -> dict[str, str]:
    paper = max(catalog.papers, key=paper_order)
    dataset = max(catalog.datasets, key=lambda d: len(catalog.papers_using(d.id)))
    family = catalog.taxonomy.families[0]
    return {
        "home": "index.html",
        "explorer": "explorer.html",
        "taxonomy": "taxonomy/index.html",
        "family": f"taxonomy/{family.id}/index.html",
        "category": f"taxonomy/{family.id}/{family.categories[0].id}.html",
        "modalities": "modalities/index.html",
        "modality": "modalities/ct.html",
        "datasets": "datasets/index.html",
        "dataset": f"datasets/{dataset.id}.html",
        "paper": f"papers/{paper.id}.html",
        "topics": "topics.html",
    }


def blocking_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – " + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_axe_violation_on_any_page_type(page, real_catalog, scheme):
    page.emulate_media(color_scheme=scheme)
    found = {}
    for name, path in page_types(real_catalog).items():
        page.goto(path)
        page.wait_for_load_state("networkidle")
        if name == "explorer":
            expect(page.locator("[data-explorer]")).to_have_attribute("data-ready", "true")
        violations = blocking_violations(page)
        if violations:
            found[name] = violations
    assert found == {}


def outline_of(page: Page) -> str:
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return `${s.outlineStyle} ${s.outlineWidth}`; }"
    )


def test_keyboard_focus_is_visible_on_explorer_controls(page):
    page.goto("explorer.html")
    expect(page.locator("[data-explorer]")).to_have_attribute("data-ready", "true")
    page.locator("[data-explorer] input[name=text]").focus()
    seen = set()
    for _ in range(40):  # tab through the filters, the facets, the export buttons and into the table
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement.name || document.activeElement.textContent.trim().slice(0, 20)")
        style = outline_of(page)
        assert not style.startswith("none"), f"no focus ring on {name!r}: {style}"
        seen.add(name)
    assert {"code", "modality"} <= seen
