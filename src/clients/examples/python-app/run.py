"""Runs app.py the way Homey would, on any machine: ``python3 run.py [--env env.json] [--settings settings.json]``.

Provides ``homey.env`` (from env.json), ``homey.settings`` (a JSON file, like Homey's persistent app settings) and
``homey.log`` (stdout), calls ``on_init``, and ``on_uninit`` on Ctrl-C or SIGTERM.
"""

import argparse
import asyncio
import json
import signal
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
try:
    import switchboard_homey  # noqa: F401 - installed with pip install ./src/clients/python
except ImportError:  # running from a checkout: use the package beside the examples
    sys.path.insert(0, str(HERE.parent.parent / "python"))

from switchboard_homey import FileStore  # noqa: E402

from app import homey_export  # noqa: E402


class Homey:
    def __init__(self, env: dict, settings_path: Path) -> None:
        self.env = env
        self.settings = FileStore(settings_path)

    @staticmethod
    def log(*args) -> None:
        print(*args, flush=True)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--env", type=Path, default=HERE / "env.json", help="env.json with SWITCHBOARD_URL, "
                        "WEBHOOK_ID and WEBHOOK_SECRET (the portal's download)")
    parser.add_argument("--settings", type=Path, default=HERE / "settings.json",
                        help="where the app's settings (and so its Homey credentials) are kept")
    options = parser.parse_args()
    app = homey_export(Homey(json.loads(options.env.read_text(encoding="utf-8")), options.settings))

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await app.on_init()
    Homey.log("App is running; Ctrl-C to stop")
    await stop.wait()
    await app.on_uninit()


if __name__ == "__main__":
    asyncio.run(main())
