"""The HTTP side of the checker: aiohttp (a compiled HTTP parser), one small connection pool per host, and
one request sent without following redirects, its body read only as far as it is cheap."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import aiohttp
from aiohttp.abc import AbstractResolver
from yarl import URL

MAX_HEADER_LINE = 8190  # bytes of one status or header line; a longer one is a protocol error


class Sessions:
    """One aiohttp session, with its own small connection pool, per host.

    A host's pool is closed once nothing needs it, so thousands of hosts never mean thousands of idle
    sockets, and one host's idle connections are never evicted for another's.
    """

    def __init__(self, per_host: int, resolver: AbstractResolver | None = None):
        self.per_host = per_host
        self.resolver = resolver
        self.sessions: dict[str, aiohttp.ClientSession] = {}

    def get(self, host: str) -> aiohttp.ClientSession:
        session = self.sessions.get(host)
        if session is None:
            connector = aiohttp.TCPConnector(
                limit=self.per_host, limit_per_host=0, resolver=self.resolver, ttl_dns_cache=300
            )
            session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),
                auto_decompress=False,
                timeout=aiohttp.ClientTimeout(total=None),
                requote_redirect_url=False,
                trust_env=False,
            )
            if hasattr(session, "_retry_connection"):
                # aiohttp silently resends an idempotent request once when a connection drops; the checker
                # retries by its own rules (with back-off, counted), so a resetting host sees what we report.
                session._retry_connection = False
            self.sessions[host] = session
        return session

    async def release(self, host: str) -> None:
        session = self.sessions.pop(host, None)
        if session is not None:
            await session.close()

    async def aclose(self) -> None:
        while self.sessions:
            await self.release(next(iter(self.sessions)))


async def send(
    session: aiohttp.ClientSession,
    method: str,
    address: URL,
    headers: Mapping[str, str],
    *,
    timeout: float,
    max_body_bytes: int,
    body_timeout: float,
) -> aiohttp.ClientResponse:
    """One request, redirects not followed: the status line and headers within `timeout`, then the body
    read as far as `_read_some` allows. The response returned is already released or closed."""
    async with asyncio.timeout(timeout):
        response = await session.request(
            method,
            address,
            headers=headers,
            allow_redirects=False,
            max_line_size=MAX_HEADER_LINE,
            max_field_size=MAX_HEADER_LINE,
        )
    try:
        await _read_some(response, max_body_bytes, min(timeout, body_timeout))
    except BaseException:
        response.close()
        raise
    return response


async def _read_some(response: aiohttp.ClientResponse, limit: int, timeout: float) -> None:
    """Read a small body to its end so the connection is reused; give up early on anything larger,
    slower, or shorter than announced. The verdict never depends on the body."""
    length = response.content_length
    if response.method == "HEAD":
        response.release()  # no body: the connection goes back to the pool
        return
    if length is not None and length > limit:
        response.close()  # too large to be worth reading: drop the connection instead
        return
    try:
        async with asyncio.timeout(timeout):
            received = 0
            while chunk := await response.content.readany():
                received += len(chunk)
                if received > limit:
                    response.close()
                    return
        response.release()
    except Exception:
        response.close()
