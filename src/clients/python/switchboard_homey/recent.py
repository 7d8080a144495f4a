"""Bounded memory of acknowledged message IDs, so a resent message is acked again but not handled twice."""

from __future__ import annotations

from collections import OrderedDict


class RecentIds:
    def __init__(self, capacity: int = 1000) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._capacity = capacity
        self._ids: "OrderedDict[str, None]" = OrderedDict()

    def add(self, message_id: str) -> None:
        self._ids[message_id] = None
        self._ids.move_to_end(message_id)
        while len(self._ids) > self._capacity:
            self._ids.popitem(last=False)  # the oldest; the server stops resending long before

    def __contains__(self, message_id: object) -> bool:
        return message_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)
