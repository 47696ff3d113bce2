"""arXiv and Crossref as a real HTTP server on loopback, answering in the formats their documentation describes.

arXiv's API (user manual, "The API Response" and "Errors"): GET /api/query?id_list=… or ?search_query=…
answers an Atom 1.0 feed with OpenSearch totals and `arxiv:` extension elements (doi, comment,
journal_ref, primary_category); a malformed id gives a feed whose single entry is titled "Error", by the
author "arXiv api core"; an unknown id gives a feed with no entry. Crossref's REST API: GET /works/{doi}
answers {"status": "ok", "message-type": "work", "message": {...}}, 404 with "Resource not found." for an
unknown DOI; GET /works?query.bibliographic=… answers a "work-list" whose message holds "items".

The papers below are invented. Tests script other answers per path (`script`), and every request is
recorded with its query and headers. Readiness: `start()` returns once the socket listens.
"""

from __future__ import annotations

import json
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    hold: bool = False  # answer only when the test ends: a service that is too slow


@dataclass(frozen=True)
class Preprint:
    arxiv: str
    title: str
    authors: tuple[str, ...]
    summary: str
    published: str = "2025-01-15T10:00:00Z"
    doi: str | None = None
    comment: str | None = None
    categories: tuple[str, ...] = ("eess.IV",)


@dataclass(frozen=True)
class Recorded:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


SPLAT = Preprint(
    arxiv="2501.01234",
    title="DemoSplat: Gaussian Splatting for\n  Sparse-View CT Reconstruction",
    authors=("Jane Doe", "Jörg Müller"),
    summary="We fit 3D Gaussians to a few X-ray projections of a cone-beam CT scan.\n  Results on walnut data.",
    published="2025-01-15T10:00:00Z",
    doi="10.1000/demosplat.2025.7",
    comment="12 pages, 5 figures",
)

SPLAT_WORK = {
    "DOI": "10.1000/demosplat.2025.7",
    "type": "journal-article",
    "title": ["DemoSplat: Gaussian Splatting for Sparse-View <i>CT</i> Reconstruction"],
    "author": [
        {"given": "Jane", "family": "Doe", "sequence": "first", "affiliation": []},
        {"given": "Jörg", "family": "Müller", "sequence": "additional", "affiliation": []},
    ],
    "container-title": ["IEEE Transactions on Medical Imaging"],
    "short-container-title": ["IEEE Trans. Med. Imaging"],
    "published-print": {"date-parts": [[2025, 9]]},
    "issued": {"date-parts": [[2025, 9, 1]]},
    "URL": "https://doi.org/10.1000/demosplat.2025.7",
    "abstract": "<jats:p>Gaussians fitted to projections.</jats:p>",
    "relation": {"has-preprint": [{"id-type": "doi", "id": "10.48550/arXiv.2501.01234", "asserted-by": "subject"}]},
}

FIELD_WORK = {
    "DOI": "10.1000/mrfield.2024.3",
    "type": "proceedings-article",
    "title": ["MR-Field: Implicit Neural Representations for Undersampled MRI"],
    "author": [{"given": "Ada", "family": "Byron", "sequence": "first", "affiliation": []}],
    "container-title": ["Medical Image Computing and Computer Assisted Intervention – MICCAI 2024"],
    "issued": {"date-parts": [[2024, 10, 6]]},
    "abstract": "<jats:title>Abstract</jats:title><jats:p>A neural field in k-space &amp; image space.</jats:p>",
}


def atom(entries: list[Preprint], total: int | None = None, query: str = "") -> str:
    """An arXiv API response feed."""
    body = "".join(_entry(entry) for entry in entries)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"
      xmlns:arxiv="http://arxiv.org/schemas/atom">
  <link href="http://arxiv.org/api/query?{escape(query)}" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: {escape(query)}</title>
  <id>http://arxiv.org/api/demo</id>
  <updated>2025-06-01T00:00:00-04:00</updated>
  <opensearch:totalResults>{len(entries) if total is None else total}</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
  <opensearch:itemsPerPage>{len(entries)}</opensearch:itemsPerPage>{body}
</feed>
"""


def _entry(paper: Preprint) -> str:
    authors = "".join(f"<author><name>{escape(name)}</name></author>" for name in paper.authors)
    doi = (
        f'<arxiv:doi>{escape(paper.doi)}</arxiv:doi><link title="doi" href="https://doi.org/{escape(paper.doi)}" '
        'rel="related"/>'
        if paper.doi
        else ""
    )
    comment = f"<arxiv:comment>{escape(paper.comment)}</arxiv:comment>" if paper.comment else ""
    categories = "".join(f'<category term="{c}" scheme="http://arxiv.org/schemas/atom"/>' for c in paper.categories)
    return f"""
  <entry>
    <id>http://arxiv.org/abs/{paper.arxiv}v2</id>
    <updated>2025-02-01T10:00:00Z</updated>
    <published>{paper.published}</published>
    <title>{escape(paper.title)}</title>
    <summary>{escape(paper.summary)}</summary>
    {authors}{doi}{comment}
    <link href="http://arxiv.org/abs/{paper.arxiv}v2" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/{paper.arxiv}v2" rel="related" type="application/pdf"/>
    <arxiv:primary_category term="{paper.categories[0]}" scheme="http://arxiv.org/schemas/atom"/>
    {categories}
  </entry>"""


def error_feed(message: str) -> str:
    """What arXiv answers to a malformed query: one entry titled Error."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <title type="html">ArXiv Query: error</title>
  <id>http://arxiv.org/api/error</id>
  <opensearch:totalResults>1</opensearch:totalResults>
  <entry>
    <id>http://arxiv.org/api/errors#{message.replace(" ", "_")}</id>
    <title>Error</title>
    <summary>{escape(message)}</summary>
    <updated>2025-06-01T00:00:00-04:00</updated>
    <link href="http://arxiv.org/api/errors#{message.replace(" ", "_")}" rel="alternate" type="text/html"/>
    <author><name>arXiv api core</name></author>
  </entry>
</feed>
"""


def _words(text: str) -> list[str]:
    """arXiv's search compares words, not punctuation."""
    return re.findall(r"[^\W_]+", text.casefold())


def work(message: dict) -> str:
    return json.dumps({"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": message})


def work_list(items: list[dict]) -> str:
    message = {"total-results": len(items), "items": items, "items-per-page": 5, "query": {"start-index": 0}}
    return json.dumps({"status": "ok", "message-type": "work-list", "message-version": "1.0.0", "message": message})


class FakeServices:
    """Both services on one loopback port; papers by arXiv id and works by DOI, plus scripted answers."""

    def __init__(self, preprints: list[Preprint] = (), works: list[dict] = ()):  # type: ignore[assignment]
        self.preprints = {paper.arxiv: paper for paper in preprints}
        self.works = {item["DOI"].lower(): item for item in works}
        self.search_results: list[Preprint] = []
        self.scripts: dict[str, list[Answer]] = {}
        self.requests: list[Recorded] = []
        self.counts: dict[str, int] = defaultdict(int)
        self.release = threading.Event()
        self.lock = threading.Lock()
        services = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                services._serve(self)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeServices:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def script(self, path: str, *answers: Answer) -> None:
        """The n-th request to `path` gets the n-th answer; the last repeats."""
        self.scripts[path] = list(answers)

    def paths(self, prefix: str = "") -> list[str]:
        return [request.path for request in self.requests if request.path.startswith(prefix)]

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        path = unquote(parts.path)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        with self.lock:
            self.requests.append(Recorded(path, query, {k.lower(): v for k, v in handler.headers.items()}))
            count = self.counts[path]
            self.counts[path] += 1
        scripted = self.scripts.get(path)
        answer = scripted[min(count, len(scripted) - 1)] if scripted else self._answer(path, query)
        if answer.hold:
            self.release.wait(timeout=10)
        data = answer.body.encode("utf-8")
        try:
            handler.send_response(answer.status)
            for name, value in answer.headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:
            pass  # the client gave up (a timeout test)

    def _answer(self, path: str, query: dict[str, str]) -> Answer:
        atom_type = {"Content-Type": "application/atom+xml; charset=utf-8"}
        json_type = {"Content-Type": "application/json"}
        if path == "/api/query" and "id_list" in query:
            found = [self.preprints[i] for i in query["id_list"].split(",") if i in self.preprints]
            return Answer(200, atom(found, query=f"id_list={query['id_list']}"), atom_type)
        if path == "/api/query":
            wanted = query.get("search_query", "")
            title = wanted[4:-1] if wanted.startswith('ti:"') else None
            found = [p for p in self.search_results if title is None or _words(p.title) == _words(title)]
            start, count = int(query.get("start", 0)), int(query.get("max_results", 10))
            return Answer(200, atom(found[start : start + count], total=len(found)), atom_type)
        if path == "/works":
            wanted = query.get("query.bibliographic", "").casefold()
            items = [w for w in self.works.values() if w["title"][0].casefold() == wanted]
            return Answer(200, work_list(items), json_type)
        if path.startswith("/works/"):
            item = self.works.get(path.removeprefix("/works/").lower())
            if item is None:
                return Answer(404, "Resource not found.", {"Content-Type": "text/plain"})
            return Answer(200, work(item), json_type)
        return Answer(404, "not found")
