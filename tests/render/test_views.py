"""Display rules shared by the README, the site and the feed."""

from __future__ import annotations

import pytest
import yaml
from minicatalog import paper_yaml

from ai4radiology.catalog.models import Paper
from ai4radiology.render.views import display_title


def paper(name: str, title: str | None) -> Paper:
    record = yaml.safe_load(paper_yaml("some-paper"))
    return Paper.model_validate({**record, "name": name, "title": title})


@pytest.mark.parametrize(
    ("name", "title", "shown"),
    [
        ("AlphaNet", "Sparse-view CT with priors", "AlphaNet: Sparse-view CT with priors"),
        ("3DGR-CT", "3DGR-CT: Sparse-View CT Reconstruction", "3DGR-CT: Sparse-View CT Reconstruction"),
        ("ACnerf", "acnerf: enhancement of radiance fields", "acnerf: enhancement of radiance fields"),
        ("R²-Gaussian", "R2-Gaussian: Rectifying Splatting", "R2-Gaussian: Rectifying Splatting"),
        ("Ultra-NeRF", "Ultra-NeRF - Radiance Fields for Ultrasound", "Ultra-NeRF - Radiance Fields for Ultrasound"),
        # A title that merely begins with the same letters is another word: the name stays.
        ("NeRF", "NeRFactor for CT", "NeRF: NeRFactor for CT"),
        ("Rao et al.", "Rao et al. revisited", "Rao et al. revisited"),
        # A paper known by its DOI alone: the name, with no placeholder.
        ("Fu et al.", None, "Fu et al."),
    ],
)
def test_display_title_names_the_paper_once(name, title, shown):
    assert display_title(paper(name, title)) == shown
