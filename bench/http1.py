"""A lean HTTP/1.1 client on asyncio streams for the load generator: one keep-alive connection
per simulated exam page, as a browser tab holds one to its origin.

Why not httpx: its pool looks for a free connection among all of them on every request, and
with a connection per candidate a 1,000-candidate run spent most of a core in the client (6 to
20 ms of client CPU per request), so the load generator's own lag was in every figure. This
client costs a fraction of a millisecond a request and nothing grows with the number of
candidates.

What it does: Content-Length and chunked bodies, keep-alive with reconnection when the server
closed the idle connection (a request on a reused connection that fails before the first byte
of the answer is sent again once on a new connection, as browsers do), a connect timeout and a
whole-request timeout. Nothing else (no TLS, no redirects, no compression): the load generator
talks to 127.0.0.1 only."""

import asyncio
import contextlib
import json as jsonlib
from urllib.parse import urlencode, urlsplit

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 16 * 1024 * 1024


class HTTPError(Exception):
    """Any failure without an HTTP answer."""


class ConnectError(HTTPError):
    pass


class ReadError(HTTPError):
    pass


class RemoteProtocolError(HTTPError):
    pass


class RequestTimeout(HTTPError):
    pass


class Headers:
    def __init__(self, pairs):
        self._pairs = pairs

    def get(self, name, default=None):
        name = name.lower()
        for k, v in self._pairs:
            if k == name:
                return v
        return default

    def get_list(self, name):
        name = name.lower()
        return [v for k, v in self._pairs if k == name]


class Response:
    def __init__(self, status_code, headers, content):
        self.status_code = status_code
        self.headers = headers
        self.content = content

    @property
    def text(self):
        return self.content.decode("utf-8", "replace")

    def json(self):
        return jsonlib.loads(self.content)


class _Stale(Exception):
    """The reused connection was closed before any byte of the answer."""


class Connection:
    """One keep-alive connection to base_url; requests on it run one at a time."""

    def __init__(self, base_url, *, timeout_s=60.0, connect_timeout_s=10.0):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.host_header = f"{self.host}:{self.port}".encode()
        self.timeout_s = timeout_s
        self.connect_timeout_s = connect_timeout_s
        self.reader = self.writer = None
        self.used = 0  # requests answered on the current connection
        self.lock = asyncio.Lock()

    async def _connect(self):
        try:
            async with asyncio.timeout(self.connect_timeout_s):
                self.reader, self.writer = await asyncio.open_connection(
                    self.host, self.port, limit=MAX_HEADER_BYTES
                )
        except TimeoutError as exc:
            raise ConnectError("connect timeout") from exc
        except OSError as exc:
            raise ConnectError(str(exc)) from exc
        self.used = 0

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None
        self.used = 0

    async def aclose(self):
        writer = self.writer
        self.close()
        if writer is not None:
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def request(self, method, path, *, headers=None, json=None, data=None):
        body = b""
        head = dict(headers or {})
        if json is not None:
            body = jsonlib.dumps(json).encode()
            head["Content-Type"] = "application/json"
        elif data is not None:
            body = urlencode(data).encode()
            head["Content-Type"] = "application/x-www-form-urlencoded"
        lines = [f"{method} {path} HTTP/1.1".encode(), b"Host: " + self.host_header]
        lines += [f"{k}: {v}".encode() for k, v in head.items()]
        if body or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body)}".encode())
        raw = b"\r\n".join(lines) + b"\r\n\r\n" + body
        async with self.lock:
            try:
                async with asyncio.timeout(self.timeout_s):
                    for _ in range(2):
                        if self.writer is None:
                            await self._connect()
                        reused = self.used > 0
                        try:
                            return await self._exchange(raw, method, reused=reused)
                        except _Stale:
                            self.close()
                            continue
                    raise RemoteProtocolError("server closed the connection twice")
            except TimeoutError as exc:
                self.close()
                raise RequestTimeout("request timeout") from exc
            except HTTPError:
                self.close()
                raise
            except asyncio.CancelledError:
                self.close()
                raise

    async def _exchange(self, raw, method, *, reused):
        try:
            self.writer.write(raw)
            await self.writer.drain()
            status_line = await self.reader.readline()
        except (ConnectionError, OSError) as exc:
            if reused:
                raise _Stale from exc
            raise ReadError(type(exc).__name__) from exc
        if not status_line:
            if reused:
                raise _Stale
            raise RemoteProtocolError("server closed the connection without an answer")
        try:
            return await self._read_rest(status_line, method)
        except (
            ConnectionError,
            OSError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ValueError,
        ) as exc:
            raise ReadError(type(exc).__name__) from exc

    async def _read_rest(self, status_line, method):
        parts = status_line.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
            raise RemoteProtocolError(f"bad status line {status_line[:60]!r}")
        status = int(parts[1])
        pairs, size = [], 0
        for _ in range(200):
            line = await self.reader.readline()
            size += len(line)
            if size > MAX_HEADER_BYTES:
                raise RemoteProtocolError("headers too large")
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            pairs.append((name.strip().lower(), value.strip()))
        headers = Headers(pairs)
        keep = headers.get("connection", "").lower() != "close" and parts[0] != b"HTTP/1.0"
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            content = b""
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            content = await self._read_chunked()
        elif headers.get("content-length") is not None:
            length = int(headers.get("content-length"))
            if length > MAX_BODY_BYTES:
                raise RemoteProtocolError("body too large")
            content = await self.reader.readexactly(length)
        else:
            content = await self.reader.read(MAX_BODY_BYTES)
            keep = False
        if keep:
            self.used += 1
        else:
            self.close()
        return Response(status, headers, content)

    async def _read_chunked(self):
        chunks, total = [], 0
        for _ in range(100_000):
            size_line = await self.reader.readline()
            size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                for _ in range(100):  # trailers, up to the blank line
                    if (await self.reader.readline()) in (b"\r\n", b"\n", b""):
                        break
                return b"".join(chunks)
            total += size
            if total > MAX_BODY_BYTES:
                raise RemoteProtocolError("body too large")
            chunks.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)
        raise RemoteProtocolError("too many chunks")


class Page:
    """The connections of one exam page (a browser opens a second one when the first is busy,
    here when a clock poll and a save overlap): requests take an idle connection, or the first."""

    def __init__(self, base_url, *, size=2, **kw):
        self.conns = [Connection(base_url, **kw) for _ in range(size)]

    async def request(self, method, path, **kw):
        conn = next((c for c in self.conns if not c.lock.locked()), self.conns[0])
        return await conn.request(method, path, **kw)

    async def aclose(self):
        for c in self.conns:
            await c.aclose()
