"""A registered webhook: its handlers, and the queue that feeds them one message at a time, in order."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Dict, List, Optional, Union

from ._callbacks import maybe_await
from .message import WebhookMessage

if TYPE_CHECKING:
    from .cloud import SwitchboardCloud

log = logging.getLogger("switchboard_homey")

MessageHandler = Callable[[WebhookMessage], Union[None, Awaitable[None]]]


class Webhook:
    """What ``create_webhook`` returns, like the SDK's webhook object.

    Handlers run one message at a time, in the order the server sent them. A message is acknowledged once every
    handler has returned (coroutines awaited); if one raises, it is not acknowledged and the server sends it again.
    """

    def __init__(self, cloud: "SwitchboardCloud", webhook_id: str, secret: str, data: Dict[str, Any]) -> None:
        self._cloud = cloud
        self.id = webhook_id
        self.secret = secret
        self.data = data
        self._handlers: List[MessageHandler] = []
        self._queue: "asyncio.Queue[WebhookMessage]" = asyncio.Queue()
        self._worker: Optional["asyncio.Task[None]"] = None

    def __repr__(self) -> str:
        return f"Webhook(id={self.id!r}, data={self.data!r})"

    @property
    def has_handlers(self) -> bool:
        return bool(self._handlers)

    def on_message(self, handler: MessageHandler) -> Callable[[], None]:
        """Calls ``handler(message)`` for each message; returns a function that removes the handler again.

        Messages that arrived before the first handler was added (a Homey that was offline gets its backlog as soon as
        it connects) are held and handed to it now, so none are lost at start-up.
        """
        if not callable(handler):
            raise TypeError(f"on_message needs a callable, got {handler!r}")
        self._handlers.append(handler)
        if self._worker is None:
            self._worker = asyncio.get_running_loop().create_task(self._work(), name=f"switchboard-webhook-{self.id}")
        self._cloud._handlers_added(self)
        return lambda: self._handlers.remove(handler) if handler in self._handlers else None

    async def unregister(self) -> None:
        """Removes this Homey's registration: the server stops routing this webhook's requests here."""
        await self._cloud.unregister_webhook(self)

    def _enqueue(self, message: WebhookMessage) -> None:
        self._queue.put_nowait(message)

    def _stop(self) -> List[WebhookMessage]:
        """Stops handling; returns the messages still queued (they are not acknowledged)."""
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None
        left = []
        while not self._queue.empty():
            left.append(self._queue.get_nowait())
        return left

    async def _work(self) -> None:
        while True:
            message = await self._queue.get()
            if not self._handlers:  # all removed since it was queued: hold it for the next handler, unacked
                self._cloud._handlers_removed(self, message)
                continue
            failure: Optional[BaseException] = None
            for handler in list(self._handlers):
                try:
                    await maybe_await(handler(message))
                except Exception as e:  # noqa: BLE001 - an app's handler error must not stop the queue
                    # The other handlers still run: one listener's bug should not starve the rest.
                    failure = failure or e
            await self._cloud._settled(self, message, failure)
