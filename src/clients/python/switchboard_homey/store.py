"""Where the client keeps its homeyId/homeyKey between runs.

Any object with ``get(key)`` and ``set(key, value)`` works, plain or async: Homey's ``self.homey.settings`` fits.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any, Awaitable, Dict, Optional, Protocol, Union


class Store(Protocol):
    def get(self, key: str) -> Union[Any, Awaitable[Any]]: ...

    def set(self, key: str, value: Any) -> Union[None, Awaitable[None]]: ...


class MemoryStore:
    """Keeps values in memory only: a new process enrolls again. For tests and short-lived scripts."""

    def __init__(self, values: Optional[Dict[str, Any]] = None) -> None:
        self.values: Dict[str, Any] = dict(values or {})

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def set(self, key: str, value: Any) -> None:
        self.values[key] = value


class FileStore:
    """A JSON object in one file; the default store (``.switchboard-homey.json`` in the working directory).

    Writes go to a temporary file that replaces the old one, so a crash never leaves half a file; the file is
    readable by its owner only because it holds the Homey key.
    """

    def __init__(self, path: Union[str, "os.PathLike[str]"] = ".switchboard-homey.json") -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            return self._read().get(key)

    def set(self, key: str, value: Any) -> None:
        with self._lock:
            values = self._read()
            values[key] = value
            self._write(values)

    def _read(self) -> Dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        values = json.loads(text) if text.strip() else {}
        if not isinstance(values, dict):
            raise ValueError(f"{self.path} does not hold a JSON object")
        return values

    def _write(self, values: Dict[str, Any]) -> None:
        directory = self.path.parent
        directory.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=directory)
        try:
            os.chmod(temporary, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                json.dump(values, file, indent=2)
                file.write("\n")
            os.replace(temporary, self.path)
        except BaseException:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass
            raise
