"""The HTTP client's reading of unusual but lawful answers, and of answers beyond its bounds."""

from __future__ import annotations

import pytest

from ai4radiology.linkcheck import Status
from ai4radiology.linkcheck.transport import MAX_HEAD_BYTES, MAX_HEADER_LINE

from .conftest import MAIN, only, run
from .farm import Reply, always, by_method


def test_an_early_hints_answer_is_skipped_for_the_real_one(farm, policy, path):
    raw = b"HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
    url = farm.route(MAIN, path(), always(Reply(raw=raw)))
    result = only(run([url], policy))
    assert (result.status, result.http_status) == (Status.OK, 200)


def test_a_chunked_body_is_read_to_its_end(farm, policy, path):
    raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    url = farm.route(MAIN, path(), by_method(head=Reply(405), get=Reply(raw=raw)))
    result = only(run([url], policy))
    assert (result.status, result.http_status) == (Status.OK, 200)
    assert farm.methods(MAIN, path()) == ["HEAD", "GET"]


@pytest.mark.parametrize(
    "raw",
    [
        b"HTTP/1.1 200 " + b"x" * (MAX_HEADER_LINE + 1) + b"\r\n\r\n",
        b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: %s\r\n" % (n, b"y" * 100) for n in range(MAX_HEAD_BYTES // 100)),
    ],
    ids=["long-status-line", "too-many-headers"],
)
def test_an_answer_beyond_the_bounds_is_a_protocol_error(farm, policy, path, raw):
    url = farm.route(MAIN, path(), always(Reply(raw=raw)))
    result = only(run([url], policy))
    assert result.status is Status.ERROR and result.detail.startswith("protocol error")
    assert farm.methods(MAIN, path()) == ["HEAD"]
