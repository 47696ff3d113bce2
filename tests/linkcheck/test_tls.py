"""https on loopback: a certificate the checker trusts, and one it must not."""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from dataclasses import replace

import pytest
import trustme

from .conftest import FAST, only, run
from .farm import Farm, Reply, always, by_method

TLS_HOST = "127.0.0.40"


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def tls_farm(authority) -> Iterable[Farm]:
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(TLS_HOST).configure_cert(server)
    farm = Farm([TLS_HOST], tls=server).start()
    yield farm
    farm.stop()


@pytest.fixture
def trusting(authority) -> ssl.SSLContext:
    context = ssl.create_default_context()
    authority.configure_trust(context)
    return context


def test_an_https_page_with_a_trusted_certificate_is_ok_and_its_connection_reused(tls_farm, policy, path, trusting):
    urls = [tls_farm.route(TLS_HOST, path(str(n)), always(Reply(200))) for n in range(6)]
    refusing = tls_farm.route(TLS_HOST, path("no-head"), by_method(head=Reply(405), get=Reply(200)))
    before = tls_farm.connections[TLS_HOST]
    report = run([*urls, refusing], policy, replace(FAST, per_host=1), tls=trusting)
    assert [r.status.value for r in report.results] == ["ok"] * 7
    assert tls_farm.methods(TLS_HOST, path("no-head")) == ["HEAD", "GET"]
    assert all(url.startswith("https://") for url in urls)
    assert tls_farm.connections[TLS_HOST] - before == 1  # eight requests, one TLS handshake


def test_an_untrusted_certificate_is_a_tls_error_not_retried(tls_farm, policy, path):
    url = tls_farm.route(TLS_HOST, path(), always(Reply(200)))
    result = only(run([url], policy))  # the system's trust store knows nothing of the test authority
    assert result.status.value == "error"
    assert result.detail.startswith("TLS failure") and "certificate" in result.detail.lower()
    assert result.requests_sent == 1
    assert tls_farm.count(TLS_HOST, path()) == 0
