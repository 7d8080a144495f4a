"""What the tests share: the management API, a sender, a TCP proxy that can cut or freeze sockets, waiting helpers.

The server is the real app, started by ClientLibrariesTest, which passes its URL and bearer tokens in the
environment.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import unittest
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple
from urllib.parse import urlencode, urlsplit

# The package lives beside this folder; the suite runs without installing it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from switchboard_homey import MemoryStore, SwitchboardCloud, WebhookMessage  # noqa: E402

URL = os.environ.get("SWITCHBOARD_URL", "")
TOKEN = os.environ.get("SWITCHBOARD_TEST_TOKEN", "")
ADMIN_TOKEN = os.environ.get("SWITCHBOARD_TEST_ADMIN_TOKEN", "")
EXAMPLES = os.environ.get("SWITCHBOARD_EXAMPLES", str(Path(__file__).resolve().parents[2] / "examples"))
WAIT = 15.0  # upper bound for anything the server should do "soon"; tests finish as soon as it happened
#: HTTP calls, and the first use of the legacy-function sandbox, which warms up a JavaScript engine on a busy machine.
SLOW = 90.0

#: Fast reconnects and dead-connection detection for tests; production defaults are 1 s base, 20 s pings.
FAST = dict(backoff_base=0.05, backoff_max=0.5, timeout=WAIT)


def needs_server(case: type) -> type:
    return unittest.skipUnless(URL, "SWITCHBOARD_URL is not set (ClientLibrariesTest starts the app and sets it)")(case)


def _http(method: str, url: str, body: Optional[bytes] = None, headers: Optional[Dict[str, str]] = None
          ) -> Tuple[int, Any]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=SLOW) as response:
            status, text = response.status, response.read()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read()
    try:
        return status, json.loads(text) if text else None
    except ValueError:
        return status, text.decode("utf-8", "replace")


async def http(method: str, url: str, body: Optional[bytes] = None, headers: Optional[Dict[str, str]] = None
               ) -> Tuple[int, Any]:
    return await asyncio.to_thread(_http, method, url, body, headers)


async def api(method: str, path: str, payload: Any = None, token: str = TOKEN, content_type: str = "application/json"
              ) -> Any:
    """Calls the management API and returns the JSON answer; fails the test on an unexpected status."""
    body = None
    if payload is not None:
        body = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
    status, answer = await http(method, URL + path, body, {"Authorization": f"Bearer {token}",
                                                         "Content-Type": content_type, "Accept": "application/json"})
    if status >= 300:
        raise AssertionError(f"{method} {path} answered {status}: {answer}")
    return answer


async def new_webhook(name: str, key_path: Optional[str] = None, legacy_function: Optional[str] = None
                      ) -> Dict[str, Any]:
    webhook = await api("POST", "/api/v1/webhooks", {"name": name})
    if key_path is not None:
        webhook = await api("PATCH", f"/api/v1/webhooks/{webhook['id']}", {"keyPath": key_path})
    if legacy_function is not None:
        await api("PUT", f"/api/v1/admin/webhooks/{webhook['id']}/legacy-function", legacy_function,
                  token=ADMIN_TOKEN, content_type="text/plain")
    return webhook


async def send(webhook_id: str, body: Any = None, headers: Optional[Dict[str, str]] = None,
               query: Optional[Dict[str, str]] = None, method: str = "POST") -> str:
    """Sends a request as a manufacturer's API would; returns the delivery ID."""
    headers = dict(headers or {})
    if body is not None and not isinstance(body, bytes):
        body = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    url = f"{URL}/webhook/{webhook_id}" + (f"?{urlencode(query)}" if query else "")
    status, answer = await http(method, url, body, headers)
    if status != 200:
        raise AssertionError(f"sending to webhook {webhook_id} answered {status}: {answer}")
    return answer["deliveryId"]


async def eventually(condition: Callable[[], Any], what: str, timeout: float = WAIT) -> Any:
    """Polls ``condition`` (plain or async) until it is truthy; fails after ``timeout`` naming ``what``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = condition()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(0.02)


async def delivery_state(webhook_id: str, delivery_id: str) -> Optional[str]:
    detail = await api("GET", f"/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}")
    return detail["targets"][0]["state"] if detail.get("targets") else None


class Inbox:
    """A message handler that records what it got, for tests to wait on."""

    def __init__(self) -> None:
        self.messages: List[WebhookMessage] = []

    def __call__(self, message: WebhookMessage) -> None:
        self.messages.append(message)

    @property
    def ids(self) -> List[str]:
        return [m["id"] for m in self.messages]

    async def wait_for(self, count: int, timeout: float = WAIT) -> List[WebhookMessage]:
        await eventually(lambda: len(self.messages) >= count, f"{count} message(s), got {len(self.messages)}",
                         timeout)
        return self.messages


class Errors:
    """An on_error callback that records errors."""

    def __init__(self) -> None:
        self.errors: List[BaseException] = []

    def __call__(self, error: BaseException) -> None:
        self.errors.append(error)

    async def wait_for(self, kind: type, timeout: float = WAIT) -> BaseException:
        found = await eventually(lambda: [e for e in self.errors if isinstance(e, kind)],
                                 f"an error of type {kind.__name__}, got {self.errors!r}", timeout)
        return found[0]


class TcpProxy:
    """A loopback TCP proxy to the server. ``cut()`` drops every open connection as a network failure would;
    ``freeze()`` keeps them open but stops carrying bytes (a dead NAT mapping); ``refuse`` turns new connections
    away, so the client stays offline."""

    def __init__(self) -> None:
        target = urlsplit(URL)
        self._target = (target.hostname, target.port)
        self._server: Optional[asyncio.AbstractServer] = None
        self._links: List["_Link"] = []
        self.accepted = 0
        self.refuse = False

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def start(self) -> "TcpProxy":
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return self

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.refuse:
            writer.transport.abort()
            return
        self.accepted += 1
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self._target)
        except OSError:
            writer.transport.abort()
            return
        link = _Link(writer, upstream_writer)
        self._links.append(link)
        await asyncio.gather(link.pipe(reader, upstream_writer), link.pipe(upstream_reader, writer),
                             return_exceptions=True)
        link.cut()
        self._links.remove(link)

    def cut(self) -> None:
        for link in list(self._links):
            link.cut()

    def freeze(self) -> None:
        for link in self._links:
            link.frozen.set()

    async def close(self) -> None:
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


class _Link:
    def __init__(self, client: asyncio.StreamWriter, upstream: asyncio.StreamWriter) -> None:
        self.writers = (client, upstream)
        self.frozen = asyncio.Event()
        self.dead = asyncio.Event()

    async def pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while not self.dead.is_set():
            data = await reader.read(65536)
            if not data:
                break
            if self.frozen.is_set():
                await self.dead.wait()  # carry nothing, but keep both sockets open until cut
                break
            writer.write(data)
            await writer.drain()
        self.cut()

    def cut(self) -> None:
        self.dead.set()
        for writer in self.writers:
            writer.transport.abort()


class ServerTestCase(unittest.IsolatedAsyncioTestCase):
    """Closes every cloud and proxy a test opened, even when it fails."""

    async def asyncSetUp(self) -> None:
        self._clouds: List[SwitchboardCloud] = []
        self._proxies: List[TcpProxy] = []

    async def asyncTearDown(self) -> None:
        for cloud in self._clouds:
            await cloud.close()
        for proxy in self._proxies:
            await proxy.close()

    def cloud(self, url: str = "", store: Any = None, **options: Any) -> SwitchboardCloud:
        cloud = SwitchboardCloud(url or URL, store if store is not None else MemoryStore(), **{**FAST, **options})
        self._clouds.append(cloud)
        return cloud

    async def proxy(self) -> TcpProxy:
        proxy = await TcpProxy().start()
        self._proxies.append(proxy)
        return proxy

