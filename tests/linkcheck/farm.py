"""A farm of real HTTP/1.1 servers on loopback addresses, one per simulated host.

Each 127.0.0.x address is a separate host to the checker (Linux routes all of
127.0.0.0/8 to loopback without setup). Behaviour is chosen per (host, path)
with small declarative replies, and the farm counts what it really received
and sent: requests per path, bytes of body actually handed to the kernel, and
the peak number of requests in flight per host.

The servers run on their own asyncio loop in a background thread, so a test
can drive the checker with ``asyncio.run`` in the main thread. ``start``
returns once every socket is listening: that is the readiness signal.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import struct
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    303: "See Other",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    410: "Gone",
    418: "I'm a teapot",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"<html>hello</html>"
    body_size: int | None = None  # a lazily generated body of this many bytes (replaces `body`)
    delay: float = 0.0  # seconds before the status line: simulated latency
    reset: bool = False  # answer nothing, close the connection with a TCP reset
    drip: float = 0.0  # seconds between single bytes of the body (a body that trickles in)
    truncate: int | None = None  # send only this many bytes of the body, then close the connection
    raw: bytes | None = None  # send these bytes verbatim instead of an HTTP answer, then close


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    at: float  # time.monotonic() when the request arrived


Route = Callable[[Request, int], Reply]  # (request, how many earlier requests this path had) -> reply


def always(reply: Reply) -> Route:
    return lambda request, count: reply


def sequence(*replies: Reply) -> Route:
    """The n-th request gets the n-th reply; the last one repeats."""
    return lambda request, count: replies[min(count, len(replies) - 1)]


def by_method(head: Reply, get: Reply) -> Route:
    return lambda request, count: head if request.method == "HEAD" else get


def by_agent(bot: Reply, browser: Reply) -> Route:
    """What bot walls do: a browser-looking User-Agent passes, anything else is refused."""
    return lambda request, count: browser if "Mozilla/" in request.headers.get("user-agent", "") else bot


def redirect(status: int, location: str) -> Route:
    return always(Reply(status, {"Location": location}, body=b""))


class Farm:
    def __init__(self, hosts: list[str], *, default: Route | None = None, tls: ssl.SSLContext | None = None):
        self.hosts = hosts
        self.tls = tls  # serve https with this context
        self.default = default or always(Reply(404, body=b"not found"))
        self.routes: dict[tuple[str, str], Route] = {}
        self.requests: dict[tuple[str, str], list[Request]] = defaultdict(list)
        self.body_bytes_sent: dict[tuple[str, str], int] = defaultdict(int)
        self.in_flight: dict[str, int] = defaultdict(int)
        self.peak_in_flight: dict[str, int] = defaultdict(int)
        self.peak_total = 0  # requests in flight over all hosts
        self.caps: dict[str, int] = {}  # host -> K: answer 429 beyond K parallel requests
        self.over_cap: dict[str, int] = defaultdict(int)
        self.ports: dict[str, int] = {}
        self.connections: dict[str, int] = defaultdict(int)  # accepted per host: keep-alive shows as few
        self._handlers = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="farm", daemon=True)
        self._servers: list[asyncio.Server] = []
        self._connections: set[asyncio.Task] = set()
        self._idle: asyncio.Condition | None = None

    # --- lifecycle -------------------------------------------------------------
    def start(self) -> Farm:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(timeout=10)
        return self

    def stop(self) -> None:
        async def close() -> None:
            for server in self._servers:
                server.close()
            for task in self._connections:  # idle keep-alive connections wait for a request forever
                task.cancel()
            await asyncio.gather(*self._connections, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(asyncio.wait_for(close(), 5), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    async def _listen(self) -> None:
        self._idle = asyncio.Condition()
        for host in self.hosts:
            server = await asyncio.start_server(self._serve, host, 0, backlog=1024, ssl=self.tls)
            self._servers.append(server)
            self.ports[host] = server.sockets[0].getsockname()[1]

    def wait_idle(self, timeout: float = 10) -> None:
        """Block until no request is being answered (e.g. a huge body has stopped streaming)."""

        async def idle() -> None:
            assert self._idle is not None
            async with self._idle:
                await asyncio.wait_for(self._idle.wait_for(lambda: self._handlers == 0), timeout)

        asyncio.run_coroutine_threadsafe(idle(), self._loop).result(timeout=timeout + 1)

    # --- configuration ---------------------------------------------------------
    def url(self, host: str, path: str) -> str:
        return f"{'https' if self.tls else 'http'}://{host}:{self.ports[host]}{path}"

    def route(self, host: str, path: str, route: Route) -> str:
        self.routes[(host, path)] = route
        return self.url(host, path)

    def reset_peaks(self) -> None:
        """Forget concurrency peaks; call while the farm is idle."""
        self.peak_in_flight.clear()
        self.over_cap.clear()
        self.peak_total = 0

    def count(self, host: str, path: str) -> int:
        return len(self.requests[(host, path)])

    def methods(self, host: str, path: str) -> list[str]:
        return [r.method for r in self.requests[(host, path)]]

    # --- serving ---------------------------------------------------------------
    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        task.add_done_callback(self._connections.discard)
        host = writer.get_extra_info("sockname")[0]
        self.connections[host] += 1
        sock = writer.get_extra_info("socket")
        # A small send buffer makes "bytes sent" close to "bytes the client accepted".
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 32 * 1024)
        writer.transport.set_write_buffer_limits(high=16 * 1024)
        try:
            while await self._answer_one(host, reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            pass
        finally:
            writer.close()

    async def _answer_one(self, host: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        head = await reader.readuntil(b"\r\n\r\n")
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        method, target, _ = request_line.split(" ", 2)
        headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in header_lines if ln)}
        path = target.split("?", 1)[0] if target.startswith("/") else target
        request = Request(method, target, headers, time.monotonic())
        key = (host, path)
        earlier = len(self.requests[key])
        self.requests[key].append(request)
        self._enter(host)
        try:
            if host in self.caps and self.in_flight[host] > self.caps[host]:
                self.over_cap[host] += 1
                reply = Reply(429, {"Retry-After": "0"}, body=b"slow down")
            else:
                reply = self.routes.get(key, self.default)(request, earlier)
            if reply.delay:
                await asyncio.sleep(reply.delay)
            if reply.reset:
                sock = writer.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.transport.abort()
                return False
            if reply.raw is not None:
                writer.write(reply.raw)
                await writer.drain()
                return False
            await self._write(key, method, reply, writer)
            if reply.truncate is not None:
                return False
        finally:
            await self._leave(host)
        return headers.get("connection", "").lower() != "close"

    async def _write(self, key: tuple[str, str], method: str, reply: Reply, writer: asyncio.StreamWriter) -> None:
        size = reply.body_size if reply.body_size is not None else len(reply.body)
        lines = [f"HTTP/1.1 {reply.status} {REASONS.get(reply.status, 'Status')}", f"Content-Length: {size}"]
        lines += [f"{name}: {value}" for name, value in reply.headers.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        if method == "HEAD":
            return
        if reply.truncate is not None or reply.drip:
            body = reply.body[: reply.truncate] if reply.truncate is not None else reply.body
            for index in range(len(body)):
                if reply.drip:
                    await asyncio.sleep(reply.drip)
                writer.write(body[index : index + 1])
                await writer.drain()
                self.body_bytes_sent[key] += 1
            return
        if reply.body_size is None:
            writer.write(reply.body)
            self.body_bytes_sent[key] += len(reply.body)
            return
        chunk = b"x" * CHUNK
        remaining = size
        try:
            while remaining:
                part = chunk[: min(CHUNK, remaining)]
                writer.write(part)
                await writer.drain()
                remaining -= len(part)
                self.body_bytes_sent[key] += len(part)
        finally:
            # What is still in our buffer never reached the client.
            self.body_bytes_sent[key] -= writer.transport.get_write_buffer_size()

    def _enter(self, host: str) -> None:
        self._handlers += 1
        self.in_flight[host] += 1
        self.peak_in_flight[host] = max(self.peak_in_flight[host], self.in_flight[host])
        self.peak_total = max(self.peak_total, sum(self.in_flight.values()))

    async def _leave(self, host: str) -> None:
        self.in_flight[host] -= 1
        self._handlers -= 1
        assert self._idle is not None
        async with self._idle:
            self._idle.notify_all()
