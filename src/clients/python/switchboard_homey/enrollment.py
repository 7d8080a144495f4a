"""Enrolling this client as a Homey (``POST /api/v1/homeys``) and keeping the credentials in the store."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Optional

from ._callbacks import maybe_await
from .errors import EnrollmentError, StoredCredentialsError
from .version import __version__

#: The store key holding ``{"homeyId": ..., "homeyKey": ...}``.
CREDENTIALS_KEY = "switchboard_homey"


@dataclass(frozen=True)
class Credentials:
    homey_id: str
    homey_key: str = ""

    def __repr__(self) -> str:  # never print the key into a log
        return f"Credentials(homey_id={self.homey_id!r})"


async def load(store: Any) -> Optional[Credentials]:
    value = await maybe_await(store.get(CREDENTIALS_KEY))
    if value is None:
        return None
    if (not isinstance(value, dict) or not isinstance(value.get("homeyId"), str)
            or not isinstance(value.get("homeyKey"), str)):
        # Enrolling again would orphan whatever registrations the old identity has, so say so instead.
        raise StoredCredentialsError(
            f"The store's {CREDENTIALS_KEY!r} entry is not {{\"homeyId\", \"homeyKey\"}}; "
            "remove it to enroll this client as a new Homey")
    return Credentials(value["homeyId"], value["homeyKey"])


async def save(store: Any, credentials: Credentials) -> None:
    await maybe_await(store.set(CREDENTIALS_KEY, {"homeyId": credentials.homey_id,
                                                  "homeyKey": credentials.homey_key}))


async def enroll(base_url: str, timeout: float) -> Credentials:
    """Asks the server for a new homeyId/homeyKey. urllib blocks, so it runs in a thread."""
    return await asyncio.to_thread(_enroll_blocking, base_url, timeout)


def _enroll_blocking(base_url: str, timeout: float) -> Credentials:
    url = base_url + "/api/v1/homeys"
    # An explicit JSON type: urllib would label the empty body as a form, which the server's CSRF filter refuses.
    request = urllib.request.Request(url, data=b"", method="POST", headers={
        "Accept": "application/json",
        "Content-Type": "application/json",
        "User-Agent": f"switchboard-homey-cloud/{__version__} (Python)",
    })
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        raise _problem(url, e) from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise EnrollmentError(f"Could not reach Switchboard to enroll ({url}): {reason}") from e
    except ValueError as e:
        raise EnrollmentError(f"Switchboard's enrollment answer is not JSON ({url})") from e
    if not isinstance(answer, dict) or not answer.get("homeyId") or not answer.get("homeyKey"):
        raise EnrollmentError(f"Switchboard's enrollment answer lacks homeyId/homeyKey ({url})")
    return Credentials(str(answer["homeyId"]), str(answer["homeyKey"]))


def _problem(url: str, error: urllib.error.HTTPError) -> EnrollmentError:
    code = detail = None
    try:
        problem = json.loads(error.read().decode("utf-8"))
        code, detail = problem.get("code"), problem.get("detail") or problem.get("title")
    except (ValueError, AttributeError, OSError):
        pass
    retry_after = error.headers.get("Retry-After") if error.headers else None
    message = f"Enrollment at {url} failed: HTTP {error.code}"
    if detail:
        message += f", {detail}"
    if code:
        message += f" ({code})"
    return EnrollmentError(message, status=error.code, code=code,
                           retry_after=int(retry_after) if retry_after and retry_after.isdigit() else None)
