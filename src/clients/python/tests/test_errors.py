"""create_webhook's refusals carry a stable code and name the webhook; enrollment happens once per store."""

import asyncio
import os
import stat
import tempfile
from pathlib import Path

from switchboard_homey import EnrollmentError, FileStore, MemoryStore, StoredCredentialsError, WebhookError
from switchboard_homey.enrollment import CREDENTIALS_KEY

from support import Inbox, ServerTestCase, needs_server, new_webhook, send


@needs_server
class CreateWebhookErrorsTest(ServerTestCase):

    async def test_a_wrong_secret(self):
        webhook = await new_webhook("python errors secret")
        with self.assertRaises(WebhookError) as raised:
            await self.cloud().create_webhook(webhook["id"], "not-the-secret")
        self.assertEqual("invalid_secret", raised.exception.code)
        self.assertEqual(webhook["id"], raised.exception.webhook_id)
        self.assertIn(webhook["id"], str(raised.exception))

    async def test_an_unknown_webhook(self):
        with self.assertRaises(WebhookError) as raised:
            await self.cloud().create_webhook("0123456789abcdef01234567", "whatever")
        self.assertEqual("webhook_not_found", raised.exception.code)
        self.assertIn("0123456789abcdef01234567", str(raised.exception))

    async def test_data_the_server_cannot_route_on(self):
        webhook = await new_webhook("python errors data")
        with self.assertRaises(WebhookError) as raised:
            await self.cloud().create_webhook(webhook["id"], webhook["secret"], {"$key": {"nested": True}})
        self.assertEqual("invalid_data", raised.exception.code)
        self.assertIn(webhook["id"], str(raised.exception))
        self.assertIn("$key", str(raised.exception))

    async def test_a_refused_update_keeps_the_webhook_working_with_its_old_data(self):
        webhook = await new_webhook("python errors refused update", key_path="headers['X-Device-Id']")
        cloud = self.cloud()
        registered = await cloud.create_webhook(webhook["id"], webhook["secret"], {"$key": "old"})
        inbox = Inbox()
        registered.on_message(inbox)

        with self.assertRaises(WebhookError):
            await cloud.create_webhook(webhook["id"], webhook["secret"], {"$keys": [["nested"]]})

        self.assertEqual({"$key": "old"}, registered.data)
        await send(webhook["id"], {"n": 1}, headers={"X-Device-Id": "old"})
        await inbox.wait_for(1)

    async def test_an_unreachable_server_fails_enrollment_clearly(self):
        cloud = self.cloud("http://127.0.0.1:9")  # discard port: nothing listens on loopback
        with self.assertRaises(EnrollmentError) as raised:
            await cloud.get_homey_id()
        self.assertIn("http://127.0.0.1:9/api/v1/homeys", str(raised.exception))


class CountingStore(MemoryStore):
    def __init__(self):
        super().__init__()
        self.writes = 0

    async def set(self, key, value):  # async, as some settings APIs are
        self.writes += 1
        super().set(key, value)


@needs_server
class EnrollmentTest(ServerTestCase):

    async def test_enrolls_once_and_keeps_the_credentials_in_the_store(self):
        store = CountingStore()
        first = self.cloud(store=store)
        homey_ids = await asyncio.gather(first.get_homey_id(), first.get_homey_id(), first.get_homey_id())

        second = self.cloud(store=store)
        again = await second.get_homey_id()

        self.assertEqual(1, store.writes, "one enrollment, even for calls at the same time")
        self.assertEqual({again}, set(homey_ids))
        self.assertRegex(again, r"^[0-9a-f]{24}$")
        self.assertEqual(again, store.values[CREDENTIALS_KEY]["homeyId"])

    async def test_a_file_store_survives_the_process_and_only_its_owner_can_read_it(self):
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "settings" / "switchboard.json"
            homey_id = await self.cloud(store=FileStore(path)).get_homey_id()
            reopened = self.cloud(store=FileStore(path))

            self.assertEqual(homey_id, await reopened.get_homey_id())
            self.assertEqual(0o600, stat.S_IMODE(os.stat(path).st_mode))
            self.assertEqual([path.name], os.listdir(path.parent), "no temporary files left behind")

    async def test_a_damaged_store_entry_is_reported_not_replaced(self):
        store = MemoryStore({CREDENTIALS_KEY: "oops"})
        with self.assertRaises(StoredCredentialsError) as raised:
            await self.cloud(store=store).get_homey_id()
        self.assertIn(CREDENTIALS_KEY, str(raised.exception))
        self.assertEqual("oops", store.values[CREDENTIALS_KEY])
