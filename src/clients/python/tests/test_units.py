"""Pure parts of the client, without a server: duplicate bookkeeping, message decoding, URLs."""

import base64
import unittest

import support  # noqa: F401 - puts the package on sys.path

from switchboard_homey import SwitchboardCloud
from switchboard_homey.cloud import _socket_url
from switchboard_homey.deliveries import Deliveries
from switchboard_homey.message import message_from_frame
from switchboard_homey.recent import RecentIds


def frame(message_id, webhook_id="w" * 24, raw=b"{}"):
    return {"type": "message", "id": message_id, "webhookId": webhook_id, "receivedAt": "2026-11-27T05:00:00.123Z",
            "method": "POST", "headers": {"x": "1"}, "query": {}, "body": {}, "rawBody": base64.b64encode(raw).decode()}


class FakeWebhook:
    def __init__(self, handlers=True):
        self.id = "w" * 24
        self.has_handlers = handlers
        self.queued = []

    def _enqueue(self, message):
        self.queued.append(message["id"])


class DeliveriesTest(unittest.TestCase):

    def test_a_resend_of_a_handled_message_is_acked_again_without_reaching_handlers(self):
        deliveries, webhook = Deliveries(), FakeWebhook()
        self.assertFalse(deliveries.receive(frame("a"), webhook))
        deliveries.settled("a", handled=True)
        self.assertTrue(deliveries.receive(frame("a"), webhook))
        self.assertEqual(["a"], webhook.queued)

    def test_a_resend_while_in_flight_is_ignored_and_after_a_failure_handled_again(self):
        deliveries, webhook = Deliveries(), FakeWebhook()
        deliveries.receive(frame("a"), webhook)
        self.assertFalse(deliveries.receive(frame("a"), webhook))
        deliveries.settled("a", handled=False)
        deliveries.receive(frame("a"), webhook)
        self.assertEqual(["a", "a"], webhook.queued)

    def test_messages_without_a_handler_wait_for_one_in_order(self):
        deliveries, webhook = Deliveries(), FakeWebhook(handlers=False)
        for message_id in ("a", "b", "c"):
            deliveries.receive(frame(message_id), None if message_id == "a" else webhook)
        deliveries.receive(frame("b"), webhook)  # a resend while waiting
        webhook.has_handlers = True
        deliveries.release(webhook)
        self.assertEqual(["a", "b", "c"], webhook.queued)

    def test_waiting_messages_are_bounded_and_an_overflow_is_taken_when_resent(self):
        deliveries, webhook = Deliveries(park_limit=2), FakeWebhook(handlers=False)
        for message_id in ("a", "b", "c"):
            deliveries.receive(frame(message_id), webhook)
        webhook.has_handlers = True
        deliveries.release(webhook)
        deliveries.receive(frame("c"), webhook)
        self.assertEqual(["a", "b", "c"], webhook.queued)

    def test_handled_ids_are_remembered_up_to_the_bound(self):
        recent = RecentIds(3)
        for message_id in "abcd":
            recent.add(message_id)
        self.assertEqual(3, len(recent))
        self.assertNotIn("a", recent)
        self.assertIn("d", recent)


class MessageTest(unittest.TestCase):

    def test_the_frame_becomes_a_dict_with_exact_raw_bytes(self):
        message = message_from_frame(frame("a", raw=b"\x00\xff"))
        self.assertEqual(b"\x00\xff", message["raw_body"])
        self.assertEqual({"x": "1"}, message.get("headers"))
        self.assertEqual("2026-11-27T05:00:00.123Z", message["received_at"])
        self.assertEqual(b"", message_from_frame({**frame("b"), "rawBody": None})["raw_body"])


class UrlTest(unittest.TestCase):

    def test_socket_url_follows_the_scheme(self):
        self.assertEqual("ws://localhost:8080/homey/v1/socket", _socket_url("http://localhost:8080"))
        self.assertEqual("wss://hooks.example.com/base/homey/v1/socket", _socket_url("https://hooks.example.com/base"))

    def test_a_url_that_is_not_http_is_refused_at_once(self):
        with self.assertRaises(ValueError):
            SwitchboardCloud("localhost:8080")
