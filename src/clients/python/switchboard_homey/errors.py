"""Errors the client raises or hands to ``on_error`` callbacks. All derive from :class:`SwitchboardError`."""

from __future__ import annotations

from typing import Optional

# Close codes the server uses (DESIGN.md, "Settled in the code").
CLOSE_UNAUTHORIZED = 4401
CLOSE_REPLACED = 4409


class SwitchboardError(Exception):
    """Base class: anything that went wrong talking to Switchboard."""


class WebhookError(SwitchboardError):
    """The server refused ``create_webhook``: ``code`` is ``invalid_secret``, ``webhook_not_found`` or ``invalid_data``."""

    def __init__(self, webhook_id: str, code: str, message: str) -> None:
        super().__init__(f"Webhook {webhook_id}: {message} ({code})")
        self.webhook_id = webhook_id
        self.code = code
        self.message = message


class EnrollmentError(SwitchboardError):
    """``POST /api/v1/homeys`` failed, so this client has no homeyId/homeyKey yet."""

    def __init__(self, message: str, status: Optional[int] = None, code: Optional[str] = None,
                 retry_after: Optional[int] = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.retry_after = retry_after


class StoredCredentialsError(SwitchboardError):
    """The store holds something under the credentials key that is not a homeyId/homeyKey pair."""


class AuthenticationError(SwitchboardError):
    """The server closed the socket with 4401: it does not know the stored homeyId/homeyKey. The client stops."""

    code = CLOSE_UNAUTHORIZED


class ConnectionReplacedError(SwitchboardError):
    """The server closed the socket with 4409: another client connected with the same credentials. The client stops."""

    code = CLOSE_REPLACED


class ConnectionTimeoutError(SwitchboardError):
    """No connection to Switchboard within the time allowed; the client keeps trying in the background."""


class CloudClosedError(SwitchboardError):
    """The ``SwitchboardCloud`` was closed; create a new one to connect again."""


class HandlerError(SwitchboardError):
    """A message handler raised. The message is not acknowledged, so the server sends it again later."""

    def __init__(self, webhook_id: str, message_id: str, cause: BaseException) -> None:
        super().__init__(f"Handler for webhook {webhook_id} failed on message {message_id}: {cause!r}; "
                         "not acknowledged, the server will send it again")
        self.webhook_id = webhook_id
        self.message_id = message_id
        self.__cause__ = cause


class ServerError(SwitchboardError):
    """The server answered a frame with an error that belongs to no webhook (e.g. ``unknown_type``)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"Switchboard: {message} ({code})")
        self.code = code
        self.message = message
