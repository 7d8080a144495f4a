"""The message a handler receives: the SDK's ``{headers, query, body}`` plus what signature checks need."""

from __future__ import annotations

import base64
from typing import Any, Dict, List, Mapping, TypedDict, Union


class WebhookMessage(TypedDict):
    """A plain dict, so the SDK's ``message.get("headers")`` works as well as ``message["body"]``.

    ``headers`` have lower-cased names; ``query`` values are strings, or lists for repeated keys; ``body`` is parsed
    JSON, a form as a dict, text as a string, or ``{}`` for no or binary bodies; ``raw_body`` is the exact bytes the
    sender sent (``b""`` when there was no body); ``received_at`` is the server's ISO 8601 receive time.
    """

    id: str
    webhook_id: str
    received_at: str
    method: str
    headers: Dict[str, str]
    query: Dict[str, Union[str, List[str]]]
    body: Any
    raw_body: bytes


def message_from_frame(frame: Mapping[str, Any]) -> WebhookMessage:
    raw = frame.get("rawBody")
    return WebhookMessage(
        id=str(frame["id"]),
        webhook_id=str(frame["webhookId"]),
        received_at=str(frame.get("receivedAt", "")),
        method=str(frame.get("method", "")),
        headers=dict(frame.get("headers") or {}),
        query=dict(frame.get("query") or {}),
        body=frame.get("body", {}),
        raw_body=base64.b64decode(raw) if raw else b"",
    )
