#!/usr/bin/env python3
"""One-off conversion of the 2025-06-17 AI4Radiology review README into catalog records.

Usage (from the repository root):

    python scripts/convert_review.py [SOURCE.md] [CATALOG_DIR]

SOURCE.md defaults to ../shared/sources/ai4radiology-review-2025-06-17.md and CATALOG_DIR to
catalog/, both relative to the repository root.  The script is a faithful conversion: it only
normalises spelling variants (modalities, representation names, venue spellings, topic headings,
missing URL schemes) and never fixes content.  Content mistakes found in the source are corrected
afterwards in the generated YAML files and listed in scripts/corrections.md; after that the YAML
is the source of truth and this script is not run again (it would undo those corrections).

Every record is validated against the pydantic models while it is built; any line of the source
that does not parse stops the run with a message naming it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "src"))

from pydantic import ValidationError  # noqa: E402

from ai4radiology.catalog.models import (  # noqa: E402
    Dataset,
    Modalities,
    Paper,
    Record,
    Review,
    Taxonomy,
    Topic,
)
from ai4radiology.catalog.writer import record_to_yaml, write_atomic  # noqa: E402

DEFAULT_SOURCE = Path("../shared/sources/ai4radiology-review-2025-06-17.md")
DEFAULT_CATALOG = Path("catalog")
ADDED = dt.date(2025, 6, 17)

EXPECTED_PAPERS = 64
EXPECTED_DATASETS = 29
EXPECTED_TOPICS = 9


class SourceError(Exception):
    """The source does not have the shape this script expects."""


# --------------------------------------------------------------------------------------------
# Vocabularies
# --------------------------------------------------------------------------------------------

TAXONOMY: dict[str, Any] = {
    "families": [
        {
            "id": "explicit",
            "label": "Explicit representations",
            "description": (
                "Discrete representations that directly encode features or signal values of the "
                "reconstructed target: individual slices, voxel volumes, or explicit Gaussian primitives. "
                "They were the first representations used for AI-assisted reconstruction of radiological images."
            ),
            "categories": [
                {
                    "id": "slice",
                    "label": "Slice",
                    "short": "Slice",
                    "description": (
                        "Slice-based methods reconstruct individual 2D slices on a pixel grid. They are simple "
                        "and deployable, but overlook the longitudinal continuity of radiological images, which "
                        "can cause artifacts or inconsistencies across slices."
                    ),
                },
                {
                    "id": "volume",
                    "label": "Volume",
                    "short": "Volume",
                    "description": (
                        "Volume-based methods reconstruct the whole 3D voxel grid, so the representation carries "
                        "spatial information at every location and restores radiological images more accurately "
                        "than slice-by-slice processing."
                    ),
                },
                {
                    "id": "gaussian",
                    "label": "Gaussian",
                    "short": "Gaussian",
                    "description": (
                        "Explicit 3D Gaussian primitives, as in 3D Gaussian splatting (3DGS), which brings "
                        "neural-radiance-field ideas to an explicit, adaptive representation: precise modelling "
                        "and efficient reconstruction and rendering."
                    ),
                },
            ],
        },
        {
            "id": "implicit",
            "label": "Implicit representations",
            "description": (
                "Continuous functions, usually neural networks, that map input coordinates to the corresponding "
                "values (intensity, attenuation) instead of storing them on a discrete grid. They model anatomy "
                "continuously under sparse-view or low-dose settings, at the cost of expensive optimisation."
            ),
            "categories": [
                {
                    "id": "ipe",
                    "label": "Implicit Prior Embedding",
                    "short": "IPE",
                    "description": (
                        "Prior information is embedded in the representation space or the model's parameter "
                        "space, so that the model learns features consistent with that prior during training "
                        "(for example prior-informed neural representations or deep image priors)."
                    ),
                },
                {
                    "id": "nrf",
                    "label": "Neural Radiance Fields",
                    "short": "NRF",
                    "description": (
                        "Neural radiance fields, a specialised kind of implicit neural representation that renders "
                        "a continuous field along rays; they generate high-resolution images and realistic 3D views "
                        "from arbitrary perspectives."
                    ),
                },
            ],
        },
    ]
}

# "Based on" column -> category ids.  "IPE NRF" means both.
REPRESENTATIONS = {
    "slice": "slice",
    "volume": "volume",
    "gr": "gaussian",
    "gaussian": "gaussian",
    "ipe": "ipe",
    "nrf": "nrf",
}

MODALITIES: dict[str, Any] = {
    "modalities": [
        {
            "id": "CT",
            "label": "Computed Tomography",
            "description": "X-ray computed tomography, including cone-beam CT (CBCT); reconstructed from projections (sinograms).",
            "aliases": {"CT": [], "CBCT": ["cbct"]},
        },
        {
            "id": "MRI",
            "label": "Magnetic Resonance Imaging",
            "description": "Magnetic resonance imaging; reconstructed from (often undersampled) k-space data.",
            "aliases": {"MRI": [], "MR": []},
        },
        {
            "id": "PET",
            "label": "Positron Emission Tomography",
            "description": "Positron emission tomography; reconstructed from coincidence events or sinograms.",
            "aliases": {"PET": []},
        },
        {
            "id": "SPECT",
            "label": "Single-Photon Emission Computed Tomography",
            "description": "Single-photon emission computed tomography, e.g. myocardial perfusion imaging.",
            "aliases": {"SPECT": []},
        },
        {
            "id": "US",
            "label": "Ultrasound",
            "description": "Ultrasound imaging, including freehand and 3D ultrasound.",
            "aliases": {"US": [], "3D US": ["3d"], "Ultrasound": []},
        },
        {
            "id": "X-ray",
            "label": "X-ray radiography",
            "description": "Planar X-ray projections (radiographs), e.g. the input of X-ray-to-CT reconstruction.",
            "aliases": {"X-ray": [], "X-Ray": []},
        },
    ]
}

# alias (lower case) -> (modality id, implied tags); longest aliases are matched first.
ALIASES: dict[str, tuple[str, list[str]]] = {
    alias.lower(): (m["id"], tags) for m in MODALITIES["modalities"] for alias, tags in m["aliases"].items()
}

# Spelling variants of one venue in the source -> one spelling.  Only variants, never corrections.
VENUE_SPELLINGS = {
    "TMI": "IEEE TMI",
    "arxiv": "arXiv",
    "Arxiv": "arXiv",
    "Sci.report": "Sci. Rep.",
    "Sci. report": "Sci. Rep.",
    "Access": "IEEE Access",
    "MAGN RESON MED": "Magn Reson Med",
}

# "Pub: None" cannot be stored (the model requires venue and year).  Recorded here, not guessed
# silently: GBIR is a rejected ICLR-2025-cycle OpenReview submission (reviews written late 2024).
PUB_NONE = {"GBIR": ("OpenReview", 2024)}

TOPIC_HEADINGS = {
    # source heading (lower case) -> (id, title)
    "transfer learning": ("transfer-learning", "Transfer Learning"),
    "edge computing": ("edge-computing", "Edge Computing"),
    "unsupervised learening": ("unsupervised-learning", "Unsupervised Learning"),
    "unsupervised learning": ("unsupervised-learning", "Unsupervised Learning"),
    "federated learening": ("federated-learning", "Federated Learning"),
    "federated learning": ("federated-learning", "Federated Learning"),
    "domain adaptation": ("domain-adaptation", "Domain Adaptation"),
    "test-time training": ("test-time-training", "Test-Time Training"),
    "homomorphic encryption": ("homomorphic-encryption", "Homomorphic Encryption"),
    "blockchain-based secure data sharing": ("blockchain-data-sharing", "Blockchain-Based Secure Data Sharing"),
    "model interpretability": ("interpretability", "Model Interpretability"),
}

# Dataset mentions in a paper's abstract or contribution -> dataset id.  Only explicit names.
DATASET_MENTIONS: list[tuple[str, str]] = [
    (r"\bfastMRI\b", "fastmri"),
    (r"\bBraTS\b", "brats"),
    (r"\bIXI\b", "ixi"),
    (r"\bLIDC(?:-IDRI)?\b|Lung Image Database Consortium", "lidc-idri"),
    (r"\bKiTS ?19\b", "kits19"),
    (r"\bdHCP\b|developing Human Connectome", "dhcp"),
    (r"(?<!d)\bHCP\b|(?<!developing )Human Connectome Project", "hcp"),
    (r"\bOCMR\b", "ocmr"),
    (r"\bSKM-?TEA\b", "skmtea"),
    # Our `ldct` record is TCIA's LDCT-and-Projection-Data; the 2016 NIH-AAPM-Mayo Grand Challenge
    # data (e.g. DuDoTrans) is a different release, so "NIH-AAPM" is deliberately not matched.
    (r"LDCT-and-Projection-Data", "ldct"),
    (r"\bCTSpine1K\b", "ctspine1k"),
    (r"\bVerSe\b", "verse"),
    (r"\bADNI\b", "adni"),
    (r"\bOASIS-?3\b", "oasis-3"),
    (r"\bOASIS-?1\b", "oasis-1"),
    (r"Medical Segmentation Decathlon", "msd"),
    (r"\bMM-?WHS\b", "mmwhs"),
    (r"\bCMRxRecon", "cmrxrecon2024"),
    (r"\bUDPET\b", "udpet"),
    (r"\bMITEA\b", "mitea"),
    (r"\bBreastDM\b", "breastdm"),
    (r"\bMIDRC\b", "midrc-ricord-1b"),
    (r"\bDIR-?lab\b", "richard-et-al"),
]

# Tags read from the title and the contribution (kept few and slug-shaped).
TAG_PATTERNS: list[tuple[str, str]] = [
    (r"sparse[- ]view|few[- ]view|sparsely sampled", "sparse-view"),
    (r"low[- ]dose|ultra-low dose", "low-dose"),
    (r"super[- ]resolution", "super-resolution"),
    (r"denois", "denoising"),
    (r"diffusion", "diffusion"),
    (r"transformer", "transformer"),
    (r"\bGANs?\b|generative adversarial|adversarial", "gan"),
    (r"\bCBCT\b|cone[- ]beam", "cbct"),
]

# --------------------------------------------------------------------------------------------
# Small text helpers
# --------------------------------------------------------------------------------------------

DETAILS_OPEN = re.compile(r"<details>\s*<summary>\s*Click\s*</summary>", re.I)
# The source closes <details> in several broken ways: </details>, </detais>, <\details>, [/details], <details>.
DETAILS_CLOSE = re.compile(r"(?:</\s*detai?ls\s*>|<\\details>|\[/details\]|<details>)\s*$", re.I)
LINK = re.compile(r"\[(?P<text>[^\]]*)\]\(\s*(?P<url>[^)\s]*(?:\([^)]*\)[^)\s]*)*)\s*\)")


def collapse(text: str) -> str:
    """Single spaces, no leading/trailing blanks (the source pads with double spaces)."""
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def strip_html(text: str) -> str:
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    text = re.sub(r"</?(?:details|detais|summary|p|em|strong|b|i|sup|sub)\b[^>]*>", "", text, flags=re.I)
    text = text.replace("<\\details>", "")
    return html.unescape(text)


def clean_abstract(raw: str, where: str) -> str:
    text = raw.strip()
    if not DETAILS_OPEN.search(text):
        raise SourceError(f"{where}: abstract is not wrapped in <details><summary>Click</summary>")
    text = DETAILS_OPEN.sub("", text, count=1)
    text = DETAILS_CLOSE.sub("", text.rstrip()).rstrip()
    text = strip_html(text)
    paragraphs = [collapse(p) for p in re.split(r"\n\s*\n", text)]
    text = "\n\n".join(p for p in paragraphs if p)
    if not text:
        raise SourceError(f"{where}: empty abstract")
    return text


def with_scheme(url: str) -> str:
    url = url.strip()
    if url and not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I):
        url = "https://" + url
    return url


def slugify(text: str) -> str:
    text = text.replace("μ", "mu").replace("µ", "mu")
    text = unicodedata.normalize("NFKD", text)  # ² -> 2
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def parse_pub(pub: str, where: str) -> tuple[str, int]:
    m = re.fullmatch(r"(?P<venue>.*?)\s*[（(]\s*(?P<year>\d{4})\s*[)）]", pub.strip())
    if not m or not m.group("venue").strip():
        raise SourceError(f"{where}: cannot read venue and year from Pub {pub!r}")
    venue = collapse(m.group("venue"))
    return VENUE_SPELLINGS.get(venue, venue), int(m.group("year"))


def parse_modalities(text: str, where: str) -> tuple[list[str], list[str]]:
    """'CT MRI' -> ['CT', 'MRI']; '3D US' -> ['US'] plus tag '3d'.  Unknown words are an error."""
    rest = collapse(text)
    found: list[str] = []
    tags: list[str] = []
    if not rest:
        return found, tags
    aliases = sorted(ALIASES, key=len, reverse=True)
    while rest:
        for alias in aliases:
            if rest.lower() == alias or rest.lower().startswith(alias + " "):
                modality, implied = ALIASES[alias]
                if modality not in found:
                    found.append(modality)
                tags.extend(t for t in implied if t not in tags)
                rest = rest[len(alias) :].strip()
                break
        else:
            raise SourceError(f"{where}: unknown modality spelling in {text!r} (at {rest!r})")
    return found, tags


def identity_links(url: str) -> dict[str, str]:
    """arXiv id or DOI when the paper URL spells one out (never looked up)."""
    out: dict[str, str] = {}
    m = re.search(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})(v\d+)?", url)
    if m:
        out["arxiv"] = m.group(1)
    m = re.search(r"nature\.com/articles/(s\d{5}-\d{3}-\d{5}-\w)", url)
    if m:  # Nature article ids are DOI suffixes
        out["doi"] = f"10.1038/{m.group(1)}"
    m = re.search(r"(?<![\w.])(10\.\d{4,9}/[^\s?#]+)", url)
    if m:
        doi = m.group(1)
        doi = re.sub(r"(?:v\d+)?(?:\.full)?(?:\.pdf)?$", "", doi)  # bioRxiv/Springer/SPIE file suffixes
        doi = re.sub(r"/(?:meta|abstract|pdf|full|fulltext)$", "", doi)  # IOP and publisher page suffixes
        out["doi"] = doi
    return out


def validate(model: type[Record], data: dict[str, Any], where: str) -> Record:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise SourceError(f"{where}: does not validate as {model.__name__}:\n{exc}") from None


# --------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------


def split_sections(text: str) -> dict[str, str]:
    """Top-level '## ***Name***' sections; topic headings ('## **Name**') stay inside theirs."""
    sections: dict[str, str] = {}
    parts = re.split(r"^## \*\*\*(.+?)\*\*\*\s*$", text, flags=re.M)
    for name, body in zip(parts[1::2], parts[2::2], strict=False):
        sections[name.strip()] = body
    for needed in ("Abstract", "Dataset", "Literature", "Challenges and Opportunities", "Citations"):
        if needed not in sections:
            raise SourceError(f"section '{needed}' not found")
    return sections


def paragraphs(body: str) -> list[str]:
    return [collapse(p) for p in re.split(r"\n\s*\n", body) if collapse(p)]


def parse_review(text: str, sections: dict[str, str]) -> Review:
    m = re.search(r'for paper "\*\*(?P<title>.+?)\*\*"', text)
    if not m:
        raise SourceError("review title not found in the first paragraph")
    title = m.group("title").strip()

    abstract = collapse(sections["Abstract"])
    abstract = re.sub(r"\s*Our project available on:.*$", "", abstract).strip()

    data_paras = [p for p in paragraphs(sections["Dataset"]) if not p.startswith("|")]
    if len(data_paras) != 2:
        raise SourceError(f"expected two intro paragraphs in the Dataset section, found {len(data_paras)}")

    lit_body = sections["Literature"].split("\n---", 1)[0]
    lit_paras = paragraphs(lit_body)
    explicit = next((p for p in lit_paras if p.startswith("Explicit representations")), None)
    implicit = next((p for p in lit_paras if "implicit representations are defined" in p), None)
    table_line = next((p for p in lit_paras if p.startswith("The literature review")), None)
    if not (explicit and implicit and table_line):
        raise SourceError("Literature intro paragraphs not found")
    # The intros are shown above our own tables: "in Table below" reads "in the table below".
    fix = lambda s: re.sub(r"in Table below", "in the table below", s)  # noqa: E731

    bib = re.search(r"`{3,}\s*bibtex\s*\n(?P<bib>@.*?\n\})", sections["Citations"], flags=re.S)
    if not bib:
        raise SourceError("BibTeX block not found in Citations")

    data = {
        "title": title,
        "authors": [
            {"name": "Yuezhe Yang", "url": "https://bean-young.github.io"},
            {"name": "Boyu Yang"},
            {"name": "Yaqian Wang"},
            {"name": "Yang He"},
            {"name": "Xingbo Dong"},
            {"name": "Zhe Jin"},
        ],
        "arxiv": "2504.11349",
        "url": "https://arxiv.org/abs/2504.11349",
        # The 2025 abstract names Bean-Young/AI4Med; the project now lives at Bean-Young/AI4Radiology.
        "repository": "https://github.com/Bean-Young/AI4Radiology",
        "bibtex": bib.group("bib").strip(),
        "abstract": abstract,
        "intro": {
            "datasets": "\n\n".join(fix(p) for p in data_paras),
            "papers": fix(table_line),
            "explicit": explicit,
            "implicit": implicit,
            "topics": (
                "The current state of development, key challenges and future research directions of AI-based 3D "
                "reconstruction in radiology, each with representative references."
            ),
        },
    }
    return validate(Review, data, "review")  # type: ignore[return-value]


def parse_datasets(body: str) -> list[Dataset]:
    rows = [line for line in body.splitlines() if re.match(r"^\|\s*\d+\s*\|", line)]
    records: list[Dataset] = []
    for line in rows:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5:
            raise SourceError(f"dataset row does not have 5 cells: {line!r}")
        number, name, imaging, detail, link = cells
        where = f"dataset {number} ({name})"
        m = LINK.search(link)
        if not m:
            raise SourceError(f"{where}: no link in {link!r}")
        modalities, _tags = parse_modalities(imaging, where)
        if not modalities:
            # An empty Imaging cell (BreastDM) cannot be stored: take the modality the Detail names.
            named = [
                ALIASES[a][0]
                for a in sorted(ALIASES, key=len, reverse=True)
                if re.search(rf"(?<![A-Za-z]){re.escape(a)}(?![A-Za-z])", detail, flags=re.I)
            ]
            if not named:
                raise SourceError(f"{where}: no modality in the Imaging column nor in the Detail")
            modalities = list(dict.fromkeys(named))[:1]
            print(f"warning: {where}: Imaging is empty; took {modalities} from the Detail text", file=sys.stderr)
        data = {
            "id": slugify(name),
            "name": collapse(name),
            "modalities": modalities,
            "description": collapse(detail),
            "url": with_scheme(m.group("url")),
            "added": ADDED,
        }
        records.append(validate(Dataset, data, where))  # type: ignore[arg-type]
    return records


PAPER_HEADING = re.compile(r"^### Paper (?P<no>\d+): \[(?P<name>[^\]]+)\]\((?P<url>[^)]*)\)\s*$", re.M)
FIELD = re.compile(r"^- \*\*(?P<key>[^*]+)\*\*:[ \t]*(?P<value>.*)$")


def paper_fields(block: str, where: str) -> dict[str, str]:
    """The '- **Key**: value' fields of one paper block; a value may continue on indented lines."""
    fields: dict[str, str] = {}
    key = None
    for line in block.splitlines():
        m = FIELD.match(line)
        if m:
            key = m.group("key").strip()
            if key in fields:
                raise SourceError(f"{where}: field {key!r} appears twice")
            fields[key] = m.group("value").rstrip()
        elif key and line.startswith("  ") and line.strip():
            fields[key] = (fields[key] + "\n" + line.strip()).strip()
        elif line.strip() in ("", "---"):
            continue
        else:
            raise SourceError(f"{where}: unexpected line {line!r}")
    return fields


def paper_id(name: str, year: int) -> str:
    m = re.fullmatch(r"(?P<surname>[^\s]+)\s+et\s+al\.?", name.strip(), flags=re.I)
    if m:
        surname = re.sub(r"\d+$", "", m.group("surname"))  # 'Deidda1' carries a footnote digit
        return f"{slugify(surname)}-{year}"
    return slugify(name)


def parse_papers(body: str) -> list[dict[str, Any]]:
    heads = list(PAPER_HEADING.finditer(body))
    drafts: list[dict[str, Any]] = []
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(body)
        block = body[head.end() : end]
        name = collapse(head.group("name"))
        where = f"paper {head.group('no')} ({name})"
        fields = paper_fields(block, where)
        for needed in ("Title", "Pub", "Imaging", "Based on", "Main Contribution", "Abstract", "Code"):
            if needed not in fields:
                raise SourceError(f"{where}: field {needed!r} missing")
        title = collapse(fields["Title"])
        if not title:
            raise SourceError(f"{where}: empty title")
        pub = collapse(fields["Pub"])
        if pub.lower() == "none":
            if name not in PUB_NONE:
                raise SourceError(f"{where}: Pub is None and no fallback is recorded")
            venue, year = PUB_NONE[name]
        else:
            venue, year = parse_pub(pub, where)
        modalities, tags = parse_modalities(fields["Imaging"], where)
        representation = []
        for word in collapse(fields["Based on"]).split():
            category = REPRESENTATIONS.get(word.lower())
            if not category:
                raise SourceError(f"{where}: unknown representation {word!r}")
            if category not in representation:
                representation.append(category)
        code_cell = fields["Code"].strip()
        if "❌" in code_cell:
            code = None
        else:
            m = LINK.search(code_cell)
            if not m:
                raise SourceError(f"{where}: cannot read Code {code_cell!r}")
            code = with_scheme(m.group("url"))
        paper_url = with_scheme(head.group("url"))
        contribution = collapse(fields["Main Contribution"].replace("\n", " "))
        abstract = clean_abstract(fields["Abstract"], where)
        text = f"{title}\n{contribution}"
        for pattern, tag in TAG_PATTERNS:
            if re.search(pattern, text, flags=re.I) and tag not in tags:
                tags.append(tag)
        mentioned = f"{contribution}\n{abstract}"
        datasets = []
        for pattern, dataset in DATASET_MENTIONS:
            if re.search(pattern, mentioned) and dataset not in datasets:
                datasets.append(dataset)
        data: dict[str, Any] = {
            "id": paper_id(name, year),
            "name": name,
            "title": title,
            "authors": [],
            "venue": venue,
            "year": year,
            "modalities": modalities,
            "representation": representation,
            "contribution": contribution,
            "abstract": abstract,
            "paper": paper_url,
            "code": code,
            **identity_links(paper_url),
            "datasets": datasets,
            "tags": tags,
            "added": ADDED,
        }
        drafts.append({"data": data, "where": where, "no": int(head.group("no"))})
    return drafts


def parse_topics(body: str) -> list[Topic]:
    parts = re.split(r"^## \*\*(.+?)\*\*\s*$", body, flags=re.M)
    topics: list[Topic] = []
    for order, (heading, section) in enumerate(zip(parts[1::2], parts[2::2], strict=False), start=1):
        key = collapse(heading).lower()
        if key not in TOPIC_HEADINGS:
            raise SourceError(f"unknown topic heading {heading!r}")
        topic_id, title = TOPIC_HEADINGS[key]
        references = []
        for line in section.splitlines():
            if not re.match(r"^\|\s*\d+\s*\|", line):
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) != 5:
                raise SourceError(f"topic {topic_id}: row does not have 5 cells: {line[:80]!r}")
            number, ref_title, pub, abstract, code_cell = cells
            where = f"topic {topic_id} reference {number}"
            venue, year = parse_pub(pub, where)
            ref: dict[str, Any] = {
                "title": collapse(ref_title),
                "venue": venue,
                "year": year,
                "abstract": clean_abstract(abstract, where),
            }
            m = LINK.search(ref_title)
            if m:
                ref["title"] = collapse(m.group("text"))
                ref["url"] = with_scheme(m.group("url"))
            if "❌" not in code_cell:
                m = LINK.search(code_cell)
                if not m:
                    raise SourceError(f"{where}: cannot read Code {code_cell!r}")
                ref["code"] = with_scheme(m.group("url"))
            references.append(ref)
        if not references:
            raise SourceError(f"topic {topic_id}: no references")
        topics.append(
            validate(
                Topic, {"id": topic_id, "title": title, "order": order, "references": references}, f"topic {topic_id}"
            )
        )  # type: ignore[arg-type]
    return topics


def finish_papers(drafts: list[dict[str, Any]], dataset_ids: set[str]) -> list[Paper]:
    # Two "X et al." papers of the same surname and year would collide: add a title word.
    by_id: dict[str, list[dict[str, Any]]] = {}
    for draft in drafts:
        by_id.setdefault(draft["data"]["id"], []).append(draft)
    for pid, group in by_id.items():
        if len(group) > 1:
            for draft in group:
                words = [w for w in slugify(draft["data"]["title"]).split("-") if len(w) > 3]
                draft["data"]["id"] = f"{pid}-{words[0]}"
    papers = []
    for draft in drafts:
        data = draft["data"]
        unknown = [d for d in data["datasets"] if d not in dataset_ids]
        if unknown:
            raise SourceError(f"{draft['where']}: dataset ids {unknown} are not in the dataset table")
        papers.append(validate(Paper, data, draft["where"]))
    ids = [p.id for p in papers]
    if len(set(ids)) != len(ids):
        raise SourceError(f"duplicate paper ids: {sorted({i for i in ids if ids.count(i) > 1})}")
    return papers  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------


def convert(source: Path, catalog: Path) -> dict[str, int]:
    text = source.read_text(encoding="utf-8")
    sections = split_sections(text)

    taxonomy = validate(Taxonomy, TAXONOMY, "taxonomy")
    modalities = validate(Modalities, MODALITIES, "modalities")
    review = parse_review(text, sections)
    datasets = parse_datasets(sections["Dataset"])
    papers = finish_papers(parse_papers(sections["Literature"]), {d.id for d in datasets})
    topics = parse_topics(sections["Challenges and Opportunities"])

    counts = {"papers": len(papers), "datasets": len(datasets), "topics": len(topics)}
    expected = {"papers": EXPECTED_PAPERS, "datasets": EXPECTED_DATASETS, "topics": EXPECTED_TOPICS}
    if counts != expected:
        raise SourceError(f"expected {expected}, parsed {counts}")
    if len({d.id for d in datasets}) != len(datasets):
        raise SourceError("duplicate dataset ids")

    write_atomic(catalog / "taxonomy.yaml", record_to_yaml(taxonomy))
    write_atomic(catalog / "modalities.yaml", record_to_yaml(modalities))
    write_atomic(catalog / "review.yaml", record_to_yaml(review))
    for paper in papers:
        write_atomic(catalog / "papers" / f"{paper.id}.yaml", record_to_yaml(paper))
    for dataset in datasets:
        write_atomic(catalog / "datasets" / f"{dataset.id}.yaml", record_to_yaml(dataset))
    for topic in topics:
        write_atomic(catalog / "topics" / f"{topic.id}.yaml", record_to_yaml(topic))
    counts["references"] = sum(len(t.references) for t in topics)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "source",
        nargs="?",
        type=Path,
        default=REPO_ROOT / DEFAULT_SOURCE,
        help=f"review markdown (default: <repo>/{DEFAULT_SOURCE})",
    )
    parser.add_argument(
        "catalog",
        nargs="?",
        type=Path,
        default=REPO_ROOT / DEFAULT_CATALOG,
        help="catalog directory to write (default: <repo>/catalog)",
    )
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(f"error: source not found: {args.source}", file=sys.stderr)
        return 2
    try:
        counts = convert(args.source, args.catalog)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"papers: {counts['papers']}  datasets: {counts['datasets']}  topics: {counts['topics']} "
        f"({counts['references']} references)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
