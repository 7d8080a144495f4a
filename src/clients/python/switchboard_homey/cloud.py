"""``SwitchboardCloud``: what a Homey app's ``self.homey.cloud`` does for webhooks, against a Switchboard server."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Callable, Dict, Mapping, Optional
from urllib.parse import urlsplit

from . import enrollment
from ._callbacks import Callback, Listeners
from .connection import Connection, ConnectionEvents, ConnectionOptions, Disconnected
from .deliveries import Deliveries
from .enrollment import Credentials
from .errors import CloudClosedError, ConnectionTimeoutError, HandlerError, WebhookError
from .message import WebhookMessage
from .store import FileStore
from .webhook import Webhook

log = logging.getLogger("switchboard_homey")

SOCKET_PATH = "/homey/v1/socket"


class SwitchboardCloud:
    """Connects this process to Switchboard as one Homey and delivers its webhooks' messages.

    ``url`` is the server's base URL (``SWITCHBOARD_URL`` in env.json). ``store`` keeps the Homey's credentials: any
    object with ``get(key)``/``set(key, value)``, plain or async, such as Homey's ``self.homey.settings``; by default a
    ``FileStore(".switchboard-homey.json")``. The client enrolls once, on first use, and reuses the stored credentials
    from then on. ``timeout`` bounds how long ``create_webhook``/``unregister_webhook`` wait for the server.
    The remaining keyword arguments tune reconnecting and dead-connection detection (see ``ConnectionOptions``).
    """

    def __init__(self, url: str, store: Any = None, *, timeout: float = 30.0, backoff_base: float = 1.0,
                 backoff_max: float = 60.0, ping_interval: float = 20.0, ping_timeout: float = 20.0,
                 close_timeout: float = 10.0, remember_messages: int = 1000) -> None:
        self.url = _base_url(url)
        self.store = store if store is not None else FileStore()
        self.timeout = timeout
        self._options = ConnectionOptions(backoff_base=backoff_base, backoff_max=backoff_max,
                                          ping_interval=ping_interval, ping_timeout=ping_timeout,
                                          close_timeout=close_timeout, open_timeout=min(timeout, 10.0))
        self._deliveries = Deliveries(remember_messages)
        self._webhooks: Dict[str, Webhook] = {}
        self._live: Dict[str, Webhook] = {}  # confirmed by the server: re-subscribed after every reconnect
        self._credentials: Optional[Credentials] = None
        self._credentials_lock = asyncio.Lock()
        self._connection: Optional[Connection] = None
        self._closed = False
        self._tasks: "set[asyncio.Task[Any]]" = set()
        self._error = Listeners[BaseException]("error")
        self._connected = Listeners[str]("connected")
        self._disconnected = Listeners[int]("disconnected")

    async def __aenter__(self) -> "SwitchboardCloud":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.close()

    # Events -------------------------------------------------------------------------------------------------------

    def on_error(self, callback: Callback) -> Callable[[], None]:
        """``callback(error)`` for errors with no caller to raise them to: a handler that raised (``HandlerError``),
        a webhook the server refused when re-subscribing after a reconnect (``WebhookError``), the connection stopping
        for good (``AuthenticationError`` on 4401, ``ConnectionReplacedError`` on 4409), a server error frame
        (``ServerError``). Without any error callback these are logged only."""
        return self._error.add(callback)

    def on_connected(self, callback: Callback) -> Callable[[], None]:
        """``callback(homey_id)`` each time the server welcomed a (re)opened socket."""
        return self._connected.add(callback)

    def on_disconnected(self, callback: Callback) -> Callable[[], None]:
        """``callback(code, reason)`` each time an open socket closed (the client reconnects unless told not to)."""
        return self._disconnected.add(callback)

    # The SDK's API ------------------------------------------------------------------------------------------------

    async def get_homey_id(self) -> str:
        """This client's Homey ID, as the ``?homey=`` query parameter wants it. Enrolls on first use."""
        return (await self._ensure_credentials()).homey_id

    async def create_webhook(self, webhook_id: str, secret: str, data: Optional[Mapping[str, Any]] = None) -> Webhook:
        """Registers this Homey for a webhook (or replaces the data of its registration) and returns it.

        ``data`` is this Homey's routing data, e.g. ``{"$keys": ["aaa"]}`` for key paths or ``{"deviceId": ...}`` for
        a legacy function; leave it out for ``?homey=`` routing. Raises ``WebhookError`` (``.code`` is
        ``invalid_secret``, ``webhook_not_found`` or ``invalid_data``) when the server refuses.
        """
        if not isinstance(webhook_id, str) or not isinstance(secret, str):
            raise TypeError("create_webhook(webhook_id, secret, data): webhook_id and secret are strings")
        data = dict(data) if data is not None else {}
        webhook = self._webhooks.get(webhook_id)
        created = webhook is None
        previous = (webhook.secret, webhook.data) if webhook is not None else None
        if webhook is None:
            webhook = Webhook(self, webhook_id, secret, data)
            self._webhooks[webhook_id] = webhook
        else:
            # Set before sending: a re-subscribe after a reconnect meanwhile must send the new data, not the old.
            webhook.secret, webhook.data = secret, data
        try:
            await self._request({"type": "subscribe", "webhookId": webhook_id, "secret": secret, "data": data},
                                webhook_id, "subscribed")
        except BaseException:
            if created:
                if self._webhooks.get(webhook_id) is webhook:
                    del self._webhooks[webhook_id]
            elif previous is not None:
                webhook.secret, webhook.data = previous  # the server kept the old registration
            raise
        self._live[webhook_id] = webhook
        return webhook

    async def unregister_webhook(self, webhook: Webhook) -> None:
        """Removes this Homey's registration for ``webhook``; its handlers get no further messages."""
        if self._webhooks.get(webhook.id) is webhook:
            del self._webhooks[webhook.id]
        self._live.pop(webhook.id, None)
        self._deliveries.forget(webhook.id, webhook._stop())
        await self._request({"type": "unsubscribe", "webhookId": webhook.id}, webhook.id, "unsubscribed")

    async def close(self) -> None:
        """Closes the socket and stops handling messages. Unacknowledged messages are sent again next time."""
        if self._closed:
            return
        self._closed = True
        for webhook in list(self._webhooks.values()):
            webhook._stop()
        if self._connection is not None:
            await self._connection.close()

    @property
    def connected(self) -> bool:
        return self._connection is not None and self._connection.is_open

    # Internals ----------------------------------------------------------------------------------------------------

    async def _ensure_credentials(self) -> Credentials:
        async with self._credentials_lock:  # two first calls at once must not enroll twice
            if self._credentials is None:
                credentials = await enrollment.load(self.store)
                if credentials is None:
                    credentials = await enrollment.enroll(self.url, self.timeout)
                    await enrollment.save(self.store, credentials)
                    log.info("Enrolled at %s as homeyId %s", self.url, credentials.homey_id)
                self._credentials = credentials
            return self._credentials

    async def _ensure_connection(self) -> Connection:
        if self._closed:
            raise CloudClosedError("This SwitchboardCloud was closed")
        credentials = await self._ensure_credentials()
        if self._connection is None:
            self._connection = Connection(_socket_url(self.url), credentials, ConnectionEvents(
                opened=self._opened, closed=self._disconnected.emit, message=self._message, error=self._report),
                self._options)
            self._connection.start()
        return self._connection

    async def _request(self, frame: Dict[str, Any], webhook_id: str, expected: str) -> None:
        """Sends ``frame`` until it is answered, reconnecting in between, within ``self.timeout`` overall."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        while True:
            connection = await self._ensure_connection()
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise ConnectionTimeoutError(f"Switchboard did not answer {frame['type']} for webhook {webhook_id} "
                                             f"within {self.timeout:g} s")
            await connection.wait_open(remaining)
            try:
                answer = await connection.request(frame, max(deadline - loop.time(), 0.001))
            except Disconnected:
                continue  # the socket dropped before the answer: send again on the next one
            if answer.get("type") == expected:
                return
            raise WebhookError(webhook_id, str(answer.get("code", "error")), str(answer.get("message", answer)))

    async def _opened(self, homey_id: str) -> None:
        await self._connected.emit(homey_id)
        connection = self._connection
        for webhook in list(self._live.values()):
            frame = {"type": "subscribe", "webhookId": webhook.id, "secret": webhook.secret, "data": webhook.data}
            try:
                answer = await connection.request(frame, self.timeout) if connection else {}
            except Disconnected:
                return  # the next connection re-subscribes again
            if answer.get("type") != "subscribed" and self._live.get(webhook.id) is webhook:
                # e.g. the webhook was deleted or its secret rotated past the grace period; the app must act.
                del self._live[webhook.id]
                await self._report(WebhookError(webhook.id, str(answer.get("code", "error")),
                                                str(answer.get("message", "re-subscribing failed"))))

    def _message(self, frame: Dict[str, Any]) -> None:
        if self._closed:
            return
        webhook = self._webhooks.get(frame.get("webhookId"))  # type: ignore[arg-type]
        if self._deliveries.receive(frame, webhook):
            self._spawn(self._ack(frame["id"]))

    def _handlers_added(self, webhook: Webhook) -> None:
        if self._webhooks.get(webhook.id) is webhook:
            self._deliveries.release(webhook)

    def _handlers_removed(self, webhook: Webhook, message: WebhookMessage) -> None:
        self._deliveries.park(message)

    async def _settled(self, webhook: Webhook, message: WebhookMessage, failure: Optional[BaseException]) -> None:
        self._deliveries.settled(message["id"], failure is None)
        if failure is None:
            await self._ack(message["id"])
        else:
            await self._report(HandlerError(webhook.id, message["id"], failure))

    async def _ack(self, message_id: str) -> None:
        # Not connected: nothing to do; the server resends on the next connection and the resend is acked then.
        if self._connection is not None:
            await self._connection.send({"type": "ack", "id": message_id})

    async def _report(self, error: BaseException) -> None:
        if self._error:
            await self._error.emit(error)
        else:
            log.error("%s", error, exc_info=error.__cause__ if isinstance(error, HandlerError) else None)

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)  # the loop keeps only weak references to tasks
        task.add_done_callback(self._tasks.discard)


def _base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"SwitchboardCloud url must be the server's http(s) base URL, got {url!r}")
    return url.rstrip("/")


def _socket_url(base_url: str) -> str:
    return ("wss" if base_url.startswith("https:") else "ws") + base_url[base_url.index(":"):] + SOCKET_PATH
