"""One WebSocket to Switchboard, kept open: hello, frames in and out, reconnects with backoff.

The connection knows the wire protocol (DESIGN.md, "Homey endpoint") but nothing about webhooks: it hands
``message`` frames and the moment it (re)opens to its owner, and correlates ``subscribe``/``unsubscribe`` with their
answers.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import random
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Deque, Dict, Optional

import websockets
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from .enrollment import Credentials
from .errors import (CLOSE_REPLACED, CLOSE_UNAUTHORIZED, AuthenticationError, CloudClosedError,
                     ConnectionReplacedError, ConnectionTimeoutError, ServerError, SwitchboardError)

log = logging.getLogger("switchboard_homey")

#: Frames that answer a subscribe or unsubscribe, matched to the request by ``webhookId``.
_ANSWERS = ("subscribed", "unsubscribed", "error")


@dataclass(frozen=True)
class ConnectionOptions:
    """Timing of the connection. The defaults suit production; tests shorten them.

    Reconnects wait ``backoff_base`` * 2^attempt seconds, capped at ``backoff_max``, with jitter (a random 50-100 %
    of that) so many Homeys cut off together do not come back in one wave. ``ping_interval``/``ping_timeout``
    detect a connection that still looks open but carries nothing (a NAT that forgot it, a frozen peer): no pong in
    time and the socket is dropped and opened again.
    """

    backoff_base: float = 1.0
    backoff_max: float = 60.0
    ping_interval: float = 20.0
    ping_timeout: float = 20.0
    open_timeout: float = 10.0
    close_timeout: float = 10.0
    # The server's limit is 1 MiB of body, which arrives twice (parsed and base64) plus headers.
    max_frame_size: int = 16 * 1024 * 1024


class Disconnected(SwitchboardError):
    """The socket closed before a request was answered; the caller decides whether to try again."""


@dataclass
class ConnectionEvents:
    """What the connection tells its owner. ``opened`` runs as its own task (it may send requests)."""

    opened: Callable[[str], Awaitable[None]]
    closed: Callable[[int, str], Awaitable[None]]
    message: Callable[[Dict[str, Any]], None]
    error: Callable[[BaseException], Awaitable[None]]


class Connection:
    def __init__(self, socket_url: str, credentials: Credentials, events: ConnectionEvents,
                 options: ConnectionOptions) -> None:
        self.socket_url = socket_url
        self._credentials = credentials
        self._events = events
        self._options = options
        self._socket: Optional[Any] = None
        self._open = asyncio.Event()
        self._stopped = asyncio.Event()
        self._fatal: Optional[SwitchboardError] = None
        self._closing = False
        self._answers: Dict[str, Deque["asyncio.Future[Dict[str, Any]]"]] = {}
        self._tasks: "set[asyncio.Task[Any]]" = set()
        self._runner: Optional["asyncio.Task[None]"] = None
        #: Sockets opened so far, for logs and tests.
        self.connections = 0

    @property
    def is_open(self) -> bool:
        return self._open.is_set()

    @property
    def stopped_by(self) -> Optional[SwitchboardError]:
        """Why the connection stopped for good (4401, 4409), or None while it runs."""
        return self._fatal

    def start(self) -> None:
        if self._runner is None:
            self._runner = asyncio.get_running_loop().create_task(self._run(), name="switchboard-connection")

    async def wait_open(self, timeout: float) -> None:
        """Returns once the socket is open and welcomed; raises why it cannot be."""
        self._raise_if_stopped()
        if self._open.is_set():
            return
        waiters = [asyncio.ensure_future(self._open.wait()), asyncio.ensure_future(self._stopped.wait())]
        try:
            await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
        self._raise_if_stopped()
        if not self._open.is_set():
            raise ConnectionTimeoutError(
                f"Could not connect to Switchboard at {self.socket_url} within {timeout:g} s; "
                "still trying in the background")

    async def request(self, frame: Dict[str, Any], timeout: float) -> Dict[str, Any]:
        """Sends a subscribe/unsubscribe frame and returns the server's answer for that webhook.

        The server handles one connection's frames in order, so answers for one webhook come back in the order the
        requests went out: a queue per webhook ID is enough to pair them.
        """
        socket = self._socket
        if socket is None or not self._open.is_set():
            raise Disconnected("not connected")
        answer: "asyncio.Future[Dict[str, Any]]" = asyncio.get_running_loop().create_future()
        queue = self._answers.setdefault(frame["webhookId"], collections.deque())
        queue.append(answer)
        try:
            await socket.send(json.dumps(frame, separators=(",", ":")))
            return await asyncio.wait_for(asyncio.shield(answer), timeout)
        except ConnectionClosed as e:
            raise Disconnected("connection closed while waiting for an answer") from e
        except asyncio.TimeoutError:
            raise Disconnected(f"no answer to {frame['type']} within {timeout:g} s") from None
        finally:
            if answer in queue:  # sent but unanswered: a later answer must not be paired with the next request
                queue.remove(answer)
            if not queue:
                self._answers.pop(frame["webhookId"], None)

    async def send(self, frame: Dict[str, Any]) -> bool:
        """Sends a frame if the socket is open; False if it is not (the server resends what was not acked)."""
        socket = self._socket
        if socket is None:
            return False
        try:
            await socket.send(json.dumps(frame, separators=(",", ":")))
            return True
        except ConnectionClosed:
            return False

    async def close(self) -> None:
        self._closing = True
        self._stopped.set()
        socket = self._socket
        if socket is not None:
            await socket.close(1000, "client closing")
        if self._runner is not None:
            self._runner.cancel()
            await asyncio.gather(self._runner, return_exceptions=True)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _raise_if_stopped(self) -> None:
        if self._fatal is not None:
            raise self._fatal
        if self._closing:
            raise CloudClosedError("This SwitchboardCloud was closed")

    async def _run(self) -> None:
        attempt = 0
        while not self._closing:
            code, reason, welcomed = await self._connect_once()
            if welcomed:
                attempt = 0
            if self._closing:
                return
            if code == CLOSE_UNAUTHORIZED:
                await self._stop(AuthenticationError(
                    f"Switchboard at {self.socket_url} refused homeyId {self._credentials.homey_id} (close 4401): "
                    "the stored homeyKey is wrong or the Homey is unknown to this server. The client has stopped; "
                    "remove the credentials from the store to enroll again"))
                return
            if code == CLOSE_REPLACED:
                await self._stop(ConnectionReplacedError(
                    f"Another client connected as homeyId {self._credentials.homey_id} and replaced this one "
                    "(close 4409). This client has stopped and will not reconnect: run one client per set of "
                    "credentials (one store per process)"))
                return
            delay = min(self._options.backoff_max, self._options.backoff_base * (2 ** attempt))
            delay *= random.uniform(0.5, 1.0)
            attempt += 1
            log.info("Reconnecting to %s in %.2f s (close %s %s)", self.socket_url, delay, code, reason)
            try:
                await asyncio.wait_for(self._stopped.wait(), delay)
            except asyncio.TimeoutError:
                pass

    async def _connect_once(self) -> "tuple[int, str, bool]":
        """One socket's life. Returns its close code and reason, and whether the server welcomed it."""
        options = self._options
        welcomed = False
        try:
            async with websockets.connect(
                    self.socket_url, open_timeout=options.open_timeout, ping_interval=options.ping_interval,
                    ping_timeout=options.ping_timeout, close_timeout=options.close_timeout,
                    max_size=options.max_frame_size) as socket:
                self.connections += 1
                await socket.send(json.dumps({"type": "hello", "homeyId": self._credentials.homey_id,
                                              "homeyKey": self._credentials.homey_key}))
                # The server answers hello within its own 10 s hello limit, or closes (4401).
                welcome = json.loads(await asyncio.wait_for(socket.recv(), options.open_timeout))
                if welcome.get("type") != "welcome":
                    log.warning("Expected welcome from %s, got %s", self.socket_url, welcome.get("type"))
                    return 1002, "no welcome", False
                welcomed = True
                self._socket = socket
                self._open.set()
                log.info("Connected to %s as homeyId %s", self.socket_url, self._credentials.homey_id)
                self._spawn(self._events.opened(self._credentials.homey_id))
                try:
                    async for text in socket:
                        self._dispatch(text)
                finally:
                    self._socket = None
                    self._open.clear()
                    self._fail_answers()
            # A clean close (1000/1001) ends the loop without an exception.
            code = socket.close_code if socket.close_code is not None else 1006
            await self._events.closed(code, socket.close_reason or "")
            return code, socket.close_reason or "", welcomed
        except ConnectionClosed as e:
            code = e.rcvd.code if e.rcvd is not None else 1006
            reason = e.rcvd.reason if e.rcvd is not None else "connection lost"
            if welcomed:
                await self._events.closed(code, reason)
            return code, reason, welcomed
        except (OSError, asyncio.TimeoutError, InvalidHandshake, InvalidURI, ValueError) as e:
            # A refused or timed-out connect, or a proxy answering HTTP: worth a log line, then backoff.
            log.warning("Could not connect to %s: %r", self.socket_url, e)
            if welcomed:
                await self._events.closed(1006, str(e))
            return 1006, str(e), welcomed

    def _dispatch(self, text: Any) -> None:
        try:
            frame = json.loads(text)
            kind = frame.get("type")
        except (ValueError, AttributeError):
            log.warning("Ignoring a frame that is not a JSON object from %s", self.socket_url)
            return
        if kind == "message":
            self._events.message(frame)
        elif kind in _ANSWERS and isinstance(frame.get("webhookId"), str) and self._answers.get(frame["webhookId"]):
            answer = self._answers[frame["webhookId"]].popleft()
            if not answer.done():
                answer.set_result(frame)
        elif kind == "error":
            self._spawn(self._events.error(ServerError(str(frame.get("code")), str(frame.get("message")))))
        else:
            log.debug("Ignoring frame of type %r", kind)  # newer servers may add frames

    def _fail_answers(self) -> None:
        for queue in self._answers.values():
            for answer in queue:
                if not answer.done():
                    answer.set_exception(Disconnected("connection closed"))
        self._answers.clear()

    async def _stop(self, error: SwitchboardError) -> None:
        self._fatal = error
        self._stopped.set()
        await self._events.error(error)

    def _spawn(self, coroutine: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
