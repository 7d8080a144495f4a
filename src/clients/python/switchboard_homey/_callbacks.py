"""Callbacks that may be plain functions or coroutines, as Homey apps mix both."""

from __future__ import annotations

import inspect
import logging
from typing import Any, Awaitable, Callable, Generic, List, TypeVar, Union

log = logging.getLogger("switchboard_homey")

T = TypeVar("T")
Callback = Callable[..., Union[None, Awaitable[None]]]


async def maybe_await(value: Union[T, Awaitable[T]]) -> T:
    if inspect.isawaitable(value):
        return await value
    return value  # type: ignore[return-value]


class Listeners(Generic[T]):
    """Callbacks for one event. A failing callback is logged and never stops the client or the other callbacks."""

    def __init__(self, event: str) -> None:
        self._event = event
        self._callbacks: List[Callback] = []

    def add(self, callback: Callback) -> Callable[[], None]:
        """Adds ``callback``; returns a function that removes it again."""
        if not callable(callback):
            raise TypeError(f"{self._event} callback must be callable, got {callback!r}")
        self._callbacks.append(callback)
        return lambda: self._callbacks.remove(callback) if callback in self._callbacks else None

    def __bool__(self) -> bool:
        return bool(self._callbacks)

    async def emit(self, *args: Any) -> None:
        for callback in list(self._callbacks):
            try:
                await maybe_await(callback(*args))
            except Exception:  # noqa: BLE001 - one app callback must not break the connection
                log.exception("%s callback %r raised", self._event, callback)
