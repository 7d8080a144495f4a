"""The three routing options of Homey's cloud webhooks reach this client, with the message the SDK promises."""

import base64
import json
import os

from support import SLOW, Inbox, ServerTestCase, api, needs_server, new_webhook, send


@needs_server
class RoutingTest(ServerTestCase):

    async def test_query_parameter_homey_delivers_headers_query_body_and_metadata(self):
        webhook = await new_webhook("python routing query")
        cloud = self.cloud()
        registered = await cloud.create_webhook(webhook["id"], webhook["secret"])
        inbox = Inbox()
        registered.on_message(inbox)
        homey_id = await cloud.get_homey_id()

        delivery_id = await send(webhook["id"], {"device_id": "aaabbbccc", "turned_on": True},
                                 headers={"X-Device-Id": "aaa"}, query={"homey": homey_id, "colour": "red"})

        message = (await inbox.wait_for(1))[0]
        self.assertEqual(delivery_id, message["id"])
        self.assertEqual(webhook["id"], message["webhook_id"])
        self.assertEqual("POST", message["method"])
        self.assertEqual({"device_id": "aaabbbccc", "turned_on": True}, message.get("body"))
        self.assertEqual("aaa", message.get("headers")["x-device-id"])
        self.assertEqual({"homey": homey_id, "colour": "red"}, message.get("query"))
        self.assertEqual({"device_id": "aaabbbccc", "turned_on": True}, json.loads(message["raw_body"]))
        self.assertRegex(message["received_at"], r"^\d{4}-\d\d-\d\dT")

    async def test_key_path_matches_key_and_keys(self):
        webhook = await new_webhook("python routing key path", key_path="headers['X-Device-Id']")
        with_key, with_keys = self.cloud(), self.cloud()
        key_inbox, keys_inbox = Inbox(), Inbox()
        (await with_key.create_webhook(webhook["id"], webhook["secret"], {"$key": "aaa"})).on_message(key_inbox)
        (await with_keys.create_webhook(webhook["id"], webhook["secret"], {"$keys": ["bbb", "ccc"]})).on_message(
            keys_inbox)

        await send(webhook["id"], {"n": 1}, headers={"X-Device-Id": "ccc"})
        await send(webhook["id"], {"n": 2}, headers={"X-Device-Id": "aaa"})
        await send(webhook["id"], {"n": 3}, headers={"X-Device-Id": "bbb"})

        await key_inbox.wait_for(1)
        await keys_inbox.wait_for(2)
        self.assertEqual([{"n": 2}], [m["body"] for m in key_inbox.messages])
        self.assertEqual([{"n": 1}, {"n": 3}], [m["body"] for m in keys_inbox.messages])

    async def test_legacy_function_matches_on_registration_data(self):
        webhook = await new_webhook("python routing legacy",
                                    legacy_function="return homey_data.deviceId === webhook_data.device_id;")
        mine, other = self.cloud(), self.cloud()
        inbox, other_inbox = Inbox(), Inbox()
        (await mine.create_webhook(webhook["id"], webhook["secret"], {"deviceId": "aaabbbccc"})).on_message(inbox)
        (await other.create_webhook(webhook["id"], webhook["secret"], {"deviceId": "zzz"})).on_message(other_inbox)

        await send(webhook["id"], {"device_id": "aaabbbccc", "n": 1})
        await send(webhook["id"], {"device_id": "zzz", "n": 2})

        await inbox.wait_for(1, SLOW)
        await other_inbox.wait_for(1, SLOW)  # also the barrier: the first request was routed before the second
        self.assertEqual([1], [m["body"]["n"] for m in inbox.messages])
        self.assertEqual([2], [m["body"]["n"] for m in other_inbox.messages])

    async def test_create_webhook_again_replaces_the_data(self):
        webhook = await new_webhook("python routing upsert", key_path="headers['X-Device-Id']")
        cloud = self.cloud()
        first = await cloud.create_webhook(webhook["id"], webhook["secret"], {"$keys": ["aaa"]})
        inbox = Inbox()
        first.on_message(inbox)

        again = await cloud.create_webhook(webhook["id"], webhook["secret"], {"$keys": ["bbb"]})

        self.assertIs(first, again, "the same webhook object, handlers kept")
        registration = await api("GET", f"/api/v1/webhooks/{webhook['id']}/registrations/{await cloud.get_homey_id()}")
        self.assertEqual({"$keys": ["bbb"]}, registration["data"])
        await send(webhook["id"], {"n": 1}, headers={"X-Device-Id": "aaa"})
        await send(webhook["id"], {"n": 2}, headers={"X-Device-Id": "bbb"})
        await inbox.wait_for(1)
        self.assertEqual([{"n": 2}], [m["body"] for m in inbox.messages], "the old key no longer routes here")

    async def test_raw_body_is_byte_exact_for_a_binary_body(self):
        webhook = await new_webhook("python routing binary")
        cloud = self.cloud()
        inbox = Inbox()
        (await cloud.create_webhook(webhook["id"], webhook["secret"])).on_message(inbox)
        payload = bytes(range(256)) + os.urandom(4096) + b"\x00\xff\r\n"

        await send(webhook["id"], payload, headers={"Content-Type": "application/octet-stream"},
                   query={"homey": await cloud.get_homey_id()}, method="PUT")

        message = (await inbox.wait_for(1))[0]
        self.assertEqual(payload, message["raw_body"])
        self.assertIsInstance(message["raw_body"], bytes)
        self.assertEqual("PUT", message["method"])
        self.assertEqual({}, message["body"])

    async def test_a_request_without_body_has_empty_raw_body(self):
        webhook = await new_webhook("python routing empty")
        cloud = self.cloud()
        inbox = Inbox()
        (await cloud.create_webhook(webhook["id"], webhook["secret"])).on_message(inbox)

        await send(webhook["id"], query={"homey": await cloud.get_homey_id()}, method="GET")

        message = (await inbox.wait_for(1))[0]
        self.assertEqual(b"", message["raw_body"])
        self.assertEqual("GET", message["method"])
