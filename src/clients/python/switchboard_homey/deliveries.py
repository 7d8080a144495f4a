"""Which messages are being handled, which were handled (to drop resends), and which wait for a handler."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Set

from .message import WebhookMessage, message_from_frame
from .recent import RecentIds

if TYPE_CHECKING:
    from .webhook import Webhook

log = logging.getLogger("switchboard_homey")


class Deliveries:
    """At-least-once in, at-most-once to the app (per process, within the last ``remember`` acked IDs).

    A message is *in flight* from the moment it arrives until its handlers finish; a resend of it meanwhile (the
    server resends after its ack timeout, or after a reconnect) is ignored, and the ack of the first copy covers both.
    Once handled, its ID is remembered so a later resend is acked again without reaching the handlers.
    """

    def __init__(self, remember: int = 1000, park_limit: int = 1000) -> None:
        self._handled = RecentIds(remember)
        self._in_flight: Set[str] = set()
        self._parked: Dict[str, List[WebhookMessage]] = {}
        self._park_limit = park_limit

    def receive(self, frame: Mapping[str, Any], webhook: Optional["Webhook"]) -> bool:
        """Takes a ``message`` frame; returns True when it was handled before and only needs acking again."""
        message_id = frame.get("id")
        if not isinstance(message_id, str) or not isinstance(frame.get("webhookId"), str):
            log.warning("Ignoring a message frame without id or webhookId")
            return False
        if message_id in self._handled:
            return True
        if message_id in self._in_flight:
            return False
        try:
            message = message_from_frame(frame)
        except (ValueError, TypeError) as e:  # e.g. rawBody that is not base64: acking would lose it silently
            log.error("Ignoring malformed message %s: %r", message_id, e)
            return False
        if webhook is None or not webhook.has_handlers:
            self.park(message)
        else:
            self._in_flight.add(message_id)
            webhook._enqueue(message)
        return False

    def park(self, message: WebhookMessage) -> None:
        """Holds a message for a webhook that has no handler yet (the app is still starting up)."""
        if sum(len(messages) for messages in self._parked.values()) >= self._park_limit:
            # Unacked, so the server keeps it and sends it again later: bounded memory, nothing lost.
            log.warning("Holding %d messages without a handler already; dropping %s for now (the server resends it)",
                        self._park_limit, message["id"])
            self._in_flight.discard(message["id"])
            return
        self._in_flight.add(message["id"])
        self._parked.setdefault(message["webhook_id"], []).append(message)

    def release(self, webhook: "Webhook") -> None:
        for message in self._parked.pop(webhook.id, []):
            webhook._enqueue(message)

    def forget(self, webhook_id: str, unhandled: List[WebhookMessage]) -> None:
        """Drops what waits for an unregistered webhook; a resend of it is then treated as new."""
        for message in self._parked.pop(webhook_id, []) + unhandled:
            self._in_flight.discard(message["id"])

    def settled(self, message_id: str, handled: bool) -> None:
        self._in_flight.discard(message_id)
        if handled:
            self._handled.add(message_id)
