"""Switchboard's client for Homey-style apps: ``self.homey.cloud.create_webhook`` against a Switchboard server.

    cloud = SwitchboardCloud(url=env["SWITCHBOARD_URL"], store=self.homey.settings)
    webhook = await cloud.create_webhook(env["WEBHOOK_ID"], env["WEBHOOK_SECRET"], {"$keys": ["aaa"]})
    webhook.on_message(lambda message: print(message.get("body")))
"""

from .cloud import SwitchboardCloud
from .errors import (AuthenticationError, CloudClosedError, ConnectionReplacedError, ConnectionTimeoutError,
                     EnrollmentError, HandlerError, ServerError, StoredCredentialsError, SwitchboardError, WebhookError)
from .message import WebhookMessage
from .store import FileStore, MemoryStore, Store
from .version import __version__
from .webhook import Webhook

__all__ = [
    "AuthenticationError", "CloudClosedError", "ConnectionReplacedError", "ConnectionTimeoutError", "EnrollmentError",
    "FileStore", "HandlerError", "MemoryStore", "ServerError", "Store", "StoredCredentialsError", "SwitchboardCloud",
    "SwitchboardError", "Webhook", "WebhookError", "WebhookMessage", "__version__",
]
