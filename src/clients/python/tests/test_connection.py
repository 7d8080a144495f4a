"""The socket's life: reconnecting after a drop or a silent death, re-subscribing, and stopping on 4401 and 4409."""

import asyncio

from switchboard_homey import AuthenticationError, ConnectionReplacedError, MemoryStore
from switchboard_homey.enrollment import CREDENTIALS_KEY

from support import Errors, Inbox, ServerTestCase, api, eventually, needs_server, new_webhook, send


@needs_server
class ConnectionTest(ServerTestCase):

    async def test_a_socket_dropped_on_the_way_is_reopened_and_its_webhooks_subscribed_again(self):
        webhook = await new_webhook("python connection drop", key_path="headers['X-Device-Id']")
        proxy = await self.proxy()
        cloud = self.cloud(proxy.url)
        connects, disconnects = [], []
        cloud.on_connected(connects.append)
        cloud.on_disconnected(lambda code, reason: disconnects.append(code))
        inbox = Inbox()
        (await cloud.create_webhook(webhook["id"], webhook["secret"], {"$key": "dev-1"})).on_message(inbox)
        homey_id = await cloud.get_homey_id()

        proxy.refuse = True
        proxy.cut()
        await eventually(lambda: disconnects, "the client to notice the dropped socket")
        # While it is away, remove its registration: only re-subscribing can bring it back.
        await api("DELETE", f"/api/v1/webhooks/{webhook['id']}/registrations/{homey_id}")
        proxy.refuse = False

        await eventually(lambda: len(connects) == 2, "the client to reconnect")
        await eventually(lambda: api("GET", f"/api/v1/webhooks/{webhook['id']}/registrations"),
                         "the registration to be back")
        await send(webhook["id"], {"n": 1}, headers={"X-Device-Id": "dev-1"})
        await inbox.wait_for(1)
        self.assertEqual([homey_id, homey_id], connects)

    async def test_messages_sent_while_disconnected_arrive_in_order_after_reconnecting(self):
        webhook = await new_webhook("python connection backlog")
        proxy = await self.proxy()
        cloud = self.cloud(proxy.url)
        disconnects = []
        cloud.on_disconnected(lambda code, reason: disconnects.append(code))
        inbox = Inbox()
        (await cloud.create_webhook(webhook["id"], webhook["secret"])).on_message(inbox)
        homey_id = await cloud.get_homey_id()

        proxy.refuse = True
        proxy.cut()
        await eventually(lambda: disconnects, "the client to notice the dropped socket")
        sent = [await send(webhook["id"], {"n": n}, query={"homey": homey_id}) for n in range(4)]
        self.assertEqual([], inbox.messages)
        proxy.refuse = False

        await inbox.wait_for(4)
        self.assertEqual(sent, inbox.ids)

    async def test_a_connection_that_stays_open_but_carries_nothing_is_replaced(self):
        webhook = await new_webhook("python connection frozen")
        proxy = await self.proxy()
        cloud = self.cloud(proxy.url, ping_interval=0.3, ping_timeout=0.3, close_timeout=0.3)
        connects = []
        cloud.on_connected(connects.append)
        inbox = Inbox()
        (await cloud.create_webhook(webhook["id"], webhook["secret"])).on_message(inbox)

        proxy.freeze()  # no close, no reset: only missing pongs can tell
        await eventually(lambda: len(connects) >= 2, "the client to give up on the frozen socket and reconnect")

        await send(webhook["id"], {"n": 1}, query={"homey": await cloud.get_homey_id()})
        await inbox.wait_for(1)
        self.assertEqual(2, proxy.accepted - 1, "one enrollment request, then two sockets")

    async def test_a_second_client_with_the_same_credentials_stops_the_first_for_good(self):
        webhook = await new_webhook("python connection replaced")
        store = MemoryStore()
        proxy = await self.proxy()
        first = self.cloud(proxy.url, store=store)
        first_errors = Errors()
        first.on_error(first_errors)
        await first.create_webhook(webhook["id"], webhook["secret"])
        homey_id = await first.get_homey_id()

        second = self.cloud(store=store)  # straight to the server, so the proxy counts only the first's sockets
        second_errors = Errors()
        second.on_error(second_errors)
        inbox = Inbox()
        (await second.create_webhook(webhook["id"], webhook["secret"])).on_message(inbox)

        error = await first_errors.wait_for(ConnectionReplacedError)
        self.assertIn("4409", str(error))
        self.assertIn(homey_id, str(error))
        self.assertIn("will not reconnect", str(error))
        # If the first reconnected, it would replace the second, which would then report 4409 itself.
        await asyncio.sleep(0.5)  # ten times the first's reconnect delay
        await send(webhook["id"], {"n": 1}, query={"homey": homey_id})
        await inbox.wait_for(1)
        self.assertEqual([], second_errors.errors)
        self.assertFalse(first.connected)
        with self.assertRaises(ConnectionReplacedError):
            await first.create_webhook(webhook["id"], webhook["secret"])
        self.assertEqual(2, proxy.accepted, "the enrollment request and one socket: no reconnect after 4409")

    async def test_unknown_credentials_stop_with_an_error_instead_of_retrying(self):
        webhook = await new_webhook("python connection unauthorized")
        proxy = await self.proxy()
        store = MemoryStore({CREDENTIALS_KEY: {"homeyId": "0" * 24, "homeyKey": "not-the-key"}})
        cloud = self.cloud(proxy.url, store=store)
        errors = Errors()
        cloud.on_error(errors)

        with self.assertRaises(AuthenticationError) as raised:
            await cloud.create_webhook(webhook["id"], webhook["secret"])

        self.assertIn("4401", str(raised.exception))
        self.assertIn("0" * 24, str(raised.exception))
        await errors.wait_for(AuthenticationError)
        await asyncio.sleep(0.5)  # ten times the reconnect delay: a retry loop would have reconnected by now
        self.assertEqual(1, proxy.accepted)
