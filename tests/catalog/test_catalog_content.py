"""The catalog holds the whole 2025-06-17 review, faithfully, with the corrections of scripts/corrections.md.

The source markdown is parsed here with a small parser of its own (not the conversion script), so a
record lost or altered by the conversion shows up as a failure.  The source lives outside the
repository, in ../shared/sources/; tests that need it are skipped when it is absent.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import pytest
import yaml

from ai4radiology.catalog.loader import load_catalog
from ai4radiology.catalog.models import Dataset, Paper, Topic

REPO = Path(__file__).resolve().parents[2]
CATALOG = REPO / "catalog"
SOURCE = REPO.parent / "shared" / "sources" / "ai4radiology-review-2025-06-17.md"
SOURCE_2026 = REPO.parent / "shared" / "sources" / "ai4radiology-review-2026-06-20.md"
CORRECTIONS = REPO / "scripts" / "corrections.md"

needs_source = pytest.mark.skipif(not SOURCE.is_file(), reason=f"review source not found at {SOURCE}")

# Names the source misspells, as corrected (see scripts/corrections.md).
CORRECTED_PAPER_NAMES = {
    "X-Gaussain": "X-Gaussian",
    "Deidda1 et al.": "Deidda et al.",
    "DirectPet": "DirectPET",
    "HDnet": "HDNet",
    "GONG et al.": "Gong et al.",
    "RAO et al.": "Rao et al.",
    "Li et al.": "Kang et al.",
    "Gong et al.": "Yu et al.",
}
CORRECTED_PAPER_URLS = {"SAX-NeRF": "https://arxiv.org/abs/2311.10959"}
# Footnote marks copied with a title are not part of it.
CORRECTED_PAPER_TITLES = {
    "ACnerf: enhancement of neural radiance field by alignment and correction of pose to reconstruct new views "
    "from a single x-ray*": "ACnerf: enhancement of neural radiance field by alignment and correction of pose to "
    "reconstruct new views from a single x-ray",
}
CORRECTED_DATASET_NAMES = {"FastMRI": "fastMRI", "SKMTEA": "SKM-TEA"}
CORRECTED_REFERENCE_TITLES = {
    "Grad-cam: Visual explanations from deep networks via gradient-based localization": "Grad-CAM: Visual explanations from deep networks via gradient-based localization",
    "Deep unfolding network with spatial alignment for multi-modal mri reconstruction": "Deep unfolding network with spatial alignment for multi-modal MRI reconstruction",
}


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --------------------------------------------------------------------------- the source, parsed here


def source_papers(text: str) -> list[dict[str, str]]:
    heads = list(re.finditer(r"^### Paper (\d+): \[([^\]]+)\]\(([^)]*)\)", text, re.M))
    papers = []
    for i, head in enumerate(heads):
        block = text[head.end() : heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        title = re.search(r"^- \*\*Title\*\*:(.*)$", block, re.M)
        code = re.search(r"^- \*\*Code\*\*:(.*)$", block, re.M)
        link = re.search(r"\]\(\s*([^)\s]+)\s*\)", code.group(1)) if code else None
        papers.append(
            {
                "number": head.group(1),
                "name": collapse(head.group(2)),
                "url": head.group(3).strip(),
                "title": collapse(title.group(1)) if title else "",
                "code": link.group(1) if link else None,
            }
        )
    return papers


def source_datasets(text: str) -> list[dict[str, str]]:
    section = text.split("## ***Dataset***", 1)[1].split("## ***Literature***", 1)[0]
    rows = []
    for line in section.splitlines():
        if re.match(r"^\|\s*\d+\s*\|", line):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows.append({"name": cells[1], "url": re.search(r"\(\s*([^)\s]+)\s*\)", cells[4]).group(1)})
    return rows


def source_topics(text: str) -> list[tuple[str, list[str]]]:
    """(heading, [reference titles]) in source order."""
    section = text.split("## ***Challenges and Opportunities***", 1)[1].split("## ***Citations***", 1)[0]
    parts = re.split(r"^## \*\*(.+?)\*\*\s*$", section, flags=re.M)
    topics = []
    for heading, body in zip(parts[1::2], parts[2::2], strict=False):
        titles = [
            collapse(line.strip().strip("|").split("|")[1])
            for line in body.splitlines()
            if re.match(r"^\|\s*\d+\s*\|", line)
        ]
        topics.append((heading.strip(), titles))
    return topics


@pytest.fixture(scope="module")
def source() -> str:
    if not SOURCE.is_file():
        pytest.skip(f"review source not found at {SOURCE}")
    return SOURCE.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the catalog


@pytest.fixture(scope="module")
def catalog():
    result = load_catalog(CATALOG)
    assert not result.errors, "\n".join(str(p) for p in result.errors)
    return result.catalog


# Records that came from this review; later additions carry a later `added` date.
REVIEW_DATE = dt.date(2025, 6, 17)


@pytest.fixture(scope="module")
def papers(catalog) -> dict[str, Paper]:
    return {p.id: p for p in catalog.papers if p.added == REVIEW_DATE}


@pytest.fixture(scope="module")
def datasets(catalog) -> dict[str, Dataset]:
    return {d.id: d for d in catalog.datasets if d.added == REVIEW_DATE}


@pytest.fixture(scope="module")
def topics(catalog) -> dict[str, Topic]:
    return {t.id: t for t in catalog.topics}


def test_every_file_is_valid_yaml_for_its_model():
    """Independent of the loader: PyYAML safe_load + the pydantic model, file name = id."""
    models = {"papers": Paper, "datasets": Dataset, "topics": Topic}
    for folder, model in models.items():
        files = sorted((CATALOG / folder).glob("*.yaml"))
        assert files, f"no records in catalog/{folder}"
        for path in files:
            text = path.read_text(encoding="utf-8")
            assert text.startswith("# yaml-language-server: $schema=../../schemas/"), path
            record = model.model_validate(yaml.safe_load(text))
            assert record.id == path.stem, path


# --------------------------------------------------------------------------- completeness


@needs_source
def test_counts_match_the_source(source, papers, datasets, topics):
    assert len(source_papers(source)) == 64
    assert len(papers) == len(source_papers(source))
    assert len(source_datasets(source)) == 29
    assert len(datasets) == len(source_datasets(source))
    src_topics = source_topics(source)
    assert len(src_topics) == 9
    assert len(topics) == len(src_topics)
    by_order = sorted(topics.values(), key=lambda t: t.order)
    assert [t.order for t in by_order] == list(range(1, 10))
    for (heading, titles), topic in zip(src_topics, by_order, strict=False):
        assert len(topic.references) == len(titles), f"{topic.id} ({heading})"


@needs_source
def test_every_source_paper_maps_to_a_record(source, papers):
    by_name: dict[str, list[Paper]] = {}
    for paper in papers.values():
        by_name.setdefault(paper.name, []).append(paper)
    matched = set()
    for entry in source_papers(source):
        name = CORRECTED_PAPER_NAMES.get(entry["name"], entry["name"])
        # two "Singh et al.": the title tells them apart
        title = CORRECTED_PAPER_TITLES.get(entry["title"], entry["title"])
        candidates = [p for p in by_name.get(name, []) if p.title == title]
        assert len(candidates) == 1, f"paper {entry['number']} '{entry['name']}' has {len(candidates)} records"
        paper = candidates[0]
        matched.add(paper.id)
        # ScienceDirect's per-session `casa_token` was dropped from links (see corrections.md)
        source_url = re.sub(r"\?casa_token=.*$", "", entry["url"])
        assert paper.paper == CORRECTED_PAPER_URLS.get(name, source_url), paper.id
        if entry["code"] is not None:
            assert paper.code is not None and paper.code.removeprefix("https://") == entry["code"].removeprefix(
                "https://"
            ), paper.id
    assert matched == set(papers), f"records with no source paper: {sorted(set(papers) - matched)}"


@needs_source
def test_every_source_dataset_maps_to_a_record(source, datasets):
    by_name = {d.name: d for d in datasets.values()}
    moved = corrected_values("datasets", "url")
    for row in source_datasets(source):
        name = CORRECTED_DATASET_NAMES.get(row["name"], row["name"])
        assert name in by_name, f"dataset '{row['name']}' has no record"
        assert by_name[name].url == moved.get(by_name[name].id, {}).get(row["url"], row["url"])


@needs_source
def test_every_source_reference_maps_to_a_topic_reference(source, topics):
    by_order = sorted(topics.values(), key=lambda t: t.order)
    for (_heading, titles), topic in zip(source_topics(source), by_order, strict=False):
        assert [r.title for r in topic.references] == [CORRECTED_REFERENCE_TITLES.get(t, t) for t in titles], topic.id


def test_topic_ids_and_titles(topics):
    assert {t.id: t.title for t in topics.values()} == {
        "transfer-learning": "Transfer Learning",
        "edge-computing": "Edge Computing",
        "unsupervised-learning": "Unsupervised Learning",
        "federated-learning": "Federated Learning",
        "domain-adaptation": "Domain Adaptation",
        "test-time-training": "Test-Time Training",
        "homomorphic-encryption": "Homomorphic Encryption",
        "blockchain-data-sharing": "Blockchain-Based Secure Data Sharing",
        "interpretability": "Model Interpretability",
    }


# --------------------------------------------------------------------------- sample fields


def test_sample_fields(papers, datasets, catalog):
    corediff = papers["corediff"]
    assert corediff.title == (
        "CoreDiff: Contextual Error-Modulated Generalized Diffusion Model for Low-Dose CT Denoising and Generalization"
    )
    assert corediff.code == "https://github.com/qgao21/CoreDiff"
    assert corediff.arxiv == "2304.01814"
    assert (corediff.venue, corediff.year) == ("IEEE TMI", 2023)

    assert papers["cttr"].code is None
    assert papers["cttr"].venue == "Physica Medica"
    assert papers["r2-gaussian"].representation == ["gaussian"]
    assert papers["r2-gaussian"].name == "R²-Gaussian"
    assert papers["c2rv"].name == "C²RV"
    assert papers["makkar-2024"].representation == ["ipe", "nrf"]
    assert papers["ultra-nerf"].modalities == ["US"] and "3d" in papers["ultra-nerf"].tags
    assert papers["restore-rwkv"].modalities == ["CT", "MRI", "PET"]
    assert papers["deidda-2023"].modalities == ["CT", "PET", "SPECT"]
    assert papers["pezzotti-2020"].datasets == ["fastmri"]
    assert papers["dle"].doi == "10.1007/s00259-021-05478-x"
    assert (papers["singh-2020"].venue, papers["singh-2024"].venue) == ("AJR", "MELBA")
    assert {"gong-2022", "gong-2024"} <= set(papers)
    assert papers["corediff"].authors[0] == "Gao, Qi" and papers["corediff"].doi == "10.1109/TMI.2023.3320812"
    assert papers["deidda-2023"].venue == "EJNMMI Phys." and papers["dle"].venue == "EJNMMI"

    assert datasets["mu-regpro"].modalities == ["MRI", "US"]
    assert datasets["mmwhs"].modalities == ["CT", "MRI"]
    assert datasets["richard-et-al"].url == "http://www.dir-lab.com"
    assert datasets["fastmri"].access == "registration"
    assert datasets["ldct"].tasks == ["task-i", "task-ii"]
    assert [catalog.task_ids[t].label for t in datasets["ldct"].tasks] == ["Task I", "Task II"]

    families = [(f.id, [c.id for c in f.categories]) for f in catalog.taxonomy.families]
    assert families == [("explicit", ["slice", "volume", "gaussian"]), ("implicit", ["ipe", "nrf"])]
    assert [m.id for m in catalog.modalities.modalities] == ["CT", "MRI", "PET", "SPECT", "US", "X-ray"]
    assert catalog.review.arxiv == "2504.11349"
    assert not catalog.review.abstract.rstrip().endswith("URL).")
    assert "Our project available on" not in catalog.review.abstract


def test_every_representation_and_modality_is_in_the_vocabularies(catalog):
    categories = set(catalog.categories)
    modalities = set(catalog.modality_ids)
    for paper in catalog.papers:
        assert set(paper.representation) <= categories, paper.id
        assert set(paper.modalities) <= modalities, paper.id
    for dataset in catalog.datasets:
        assert set(dataset.modalities) <= modalities, dataset.id


# --------------------------------------------------------------------------- corrections


def test_known_source_mistakes_are_gone(papers, datasets, topics):
    assert not [p.id for p in papers.values() if "Gaussain" in p.name or "Gaussain" in p.id]
    assert not [p.id for p in papers.values() if re.search(r"\d et al", p.name)]
    assert "x-gaussian" in papers and papers["x-gaussian"].name == "X-Gaussian"

    assert datasets["breastdm"].modalities == ["MRI"]

    sax, cunerf = papers["sax-nerf"], papers["cunerf"]
    assert sax.paper != cunerf.paper
    assert "CuNeRF" not in sax.paper
    assert sax.arxiv == "2311.10959"

    urls = [p.paper for p in papers.values()]
    assert len(urls) == len(set(urls)), "two papers share one paper link"
    for paper in papers.values():
        for url in (paper.paper, paper.code):
            assert url is None or url.startswith(("https://", "http://")), paper.id

    assert "shape-aware" not in papers["hashimoto-2023"].contribution
    assert "MRI prior" not in papers["gong-2024"].contribution
    assert papers["ultra-nerf"].venue == "MIDL"

    edge = topics["edge-computing"].references[2]
    knoll = topics["transfer-learning"].references[3]
    assert edge.title.startswith("A collaborative inference strategy")
    assert "MOCI" in edge.abstract and "transfer learning" not in edge.abstract
    assert (
        collapse(re.sub(r"[^a-z ]", " ", edge.abstract.lower()))[:80]
        != collapse(re.sub(r"[^a-z ]", " ", knoll.abstract.lower()))[:80]
    )

    for topic in topics.values():
        assert "learening" not in topic.title.lower()
        assert topic.title[0].isupper()


def test_no_two_abstracts_are_copies(catalog):
    seen: dict[str, str] = {}
    texts = [(p.id, p.abstract) for p in catalog.papers if p.abstract]
    texts += [(f"{t.id}#{i + 1}", r.abstract) for t in catalog.topics for i, r in enumerate(t.references)]
    for owner, abstract in texts:
        key = re.sub(r"[^a-z]+", "", abstract.lower())[:300]
        assert key not in seen, f"{owner} has the abstract of {seen.get(key)}"
        seen[key] = owner


CORRECTION_LINE = re.compile(
    r"^- (?P<file>(?:papers|datasets|topics)/[\w.-]+\.yaml): (?P<field>[\w.]+) '(?P<old>.*)' → '(?P<new>.*)' \("
)


def _field(data, path: str):
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data.get(part)
    return data


def correction_lines() -> list[re.Match]:
    return [m for line in CORRECTIONS.read_text(encoding="utf-8").splitlines() if (m := CORRECTION_LINE.match(line))]


def corrected_values(folder: str, field: str) -> dict[str, dict[str, str]]:
    """record id -> {old value: new value} for the corrections of one field (from corrections.md)."""
    found: dict[str, dict[str, str]] = {}
    for m in correction_lines():
        if m["file"].startswith(f"{folder}/") and m["field"] == field:
            found.setdefault(Path(m["file"]).stem, {})[m["old"]] = m["new"]
    return found


def test_every_listed_correction_is_in_the_data():
    lines = correction_lines()
    assert len(lines) >= 20, "corrections.md lost its checkable lines"
    for m in lines:
        path = CATALOG / m["file"]
        assert path.is_file(), m["file"]
        value = _field(yaml.safe_load(path.read_text(encoding="utf-8")), m["field"])
        if str(value) == m["new"]:
            continue
        # a fix inside a longer text: the new words are there, the old ones are not
        assert isinstance(value, str) and m["new"] in value and m["old"] not in value, (
            f"{m['file']}: {m['field']} does not hold the correction '{m['new']}'"
        )


# --------------------------------------------------------------------------- the conversion script


@needs_source
def test_conversion_script_still_converts_everything(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("convert_review", REPO / "scripts" / "convert_review.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    counts = module.convert(SOURCE, tmp_path)
    assert (counts["papers"], counts["datasets"], counts["topics"]) == (64, 29, 9)
    generated = {p.stem for p in (tmp_path / "papers").glob("*.yaml")}
    # the script is a faithful conversion: the typo'd id comes out, the catalog holds the corrected one
    assert "x-gaussain" in generated and "x-gaussian" not in generated
    assert generated - {"x-gaussain"} <= {p.stem for p in (CATALOG / "papers").glob("*.yaml")}
