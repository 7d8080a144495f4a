"""The example app, started the way a developer would start it, receives a webhook message."""

import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path

from support import EXAMPLES, URL, WAIT, ServerTestCase, needs_server, new_webhook, send


@needs_server
class ExampleAppTest(ServerTestCase):

    async def test_the_example_app_logs_a_message_routed_by_key_path(self):
        webhook = await new_webhook("python example app", key_path="headers['X-Device-Id']")
        with tempfile.TemporaryDirectory() as work:
            env = Path(work) / "env.json"
            env.write_text(json.dumps({"SWITCHBOARD_URL": URL, "WEBHOOK_ID": webhook["id"],
                                       "WEBHOOK_SECRET": webhook["secret"]}))
            app = await asyncio.create_subprocess_exec(
                sys.executable, str(Path(EXAMPLES) / "python-app" / "run.py"), "--env", str(env),
                "--settings", str(Path(work) / "settings.json"),
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, cwd=work,
                env={**os.environ, "PYTHONUNBUFFERED": "1"})
            try:
                output = []
                await self._read_until(app, output, "App is running")
                self.assertRegex("".join(output), r"homeyId: [0-9a-f]{24}")

                await send(webhook["id"], {"turned_on": True}, headers={"X-Device-Id": "bbb"})

                await self._read_until(app, output, "body:")
                log = "".join(output)
                self.assertIn("Got a webhook message!", log)
                self.assertIn("body: {'turned_on': True}", log)
                self.assertIn("'x-device-id': 'bbb'", log)
                settings = json.loads((Path(work) / "settings.json").read_text())
                self.assertIn("switchboard_homey", settings, "the credentials live in the app's settings")
            finally:
                if app.returncode is None:
                    app.terminate()
                await asyncio.wait_for(app.wait(), WAIT)
            self.assertEqual(0, app.returncode, "on_uninit closed the app cleanly on SIGTERM")

    async def _read_until(self, app, output, marker):
        async def read():
            while not any(marker in line for line in output):
                line = await app.stdout.readline()
                if not line:
                    raise AssertionError(f"the example app exited before logging {marker!r}:\n{''.join(output)}")
                output.append(line.decode())
        try:
            await asyncio.wait_for(read(), WAIT)
        except asyncio.TimeoutError:
            raise AssertionError(f"the example app did not log {marker!r} within {WAIT:g} s:\n{''.join(output)}")
