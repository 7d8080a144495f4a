"""At-least-once delivery as the app sees it: acks after handlers, resends, duplicates, backlog, order, unregister."""

import asyncio

from switchboard_homey import HandlerError, MemoryStore

from support import (Errors, Inbox, ServerTestCase, api, delivery_state, eventually, needs_server, new_webhook,
                     send)


@needs_server
class DeliveryTest(ServerTestCase):

    async def test_a_handler_that_raises_gets_the_same_message_again_then_it_is_acked(self):
        webhook = await new_webhook("python delivery retry")
        cloud = self.cloud()
        errors = Errors()
        cloud.on_error(errors)
        calls = []

        async def flaky(message):
            calls.append(message["id"])
            if len(calls) == 1:
                raise RuntimeError("database briefly unavailable")

        (await cloud.create_webhook(webhook["id"], webhook["secret"])).on_message(flaky)
        delivery_id = await send(webhook["id"], {"n": 1}, query={"homey": await cloud.get_homey_id()})

        # The server resends after its ack timeout (2 s in the test profile).
        await eventually(lambda: len(calls) >= 2, "the message sent again after the handler raised")
        await eventually(lambda: _is(delivery_state(webhook["id"], delivery_id), "acked"), "the delivery acked")
        self.assertEqual([delivery_id, delivery_id], calls)
        error = await errors.wait_for(HandlerError)
        self.assertEqual(delivery_id, error.message_id)
        self.assertIn("database briefly unavailable", str(error))

    async def test_a_resend_while_the_handler_still_runs_is_not_passed_on_twice(self):
        webhook = await new_webhook("python delivery duplicate")
        cloud = self.cloud()
        received_frames = []
        release = asyncio.Event()
        calls = []

        async def slow(message):
            calls.append(message["id"])
            await release.wait()

        (await cloud.create_webhook(webhook["id"], webhook["secret"])).on_message(slow)
        receive = cloud._deliveries.receive  # watch the frames arriving, before duplicates are dropped

        def watching(frame, target):
            received_frames.append(frame["id"])
            return receive(frame, target)

        cloud._deliveries.receive = watching
        delivery_id = await send(webhook["id"], {"n": 1}, query={"homey": await cloud.get_homey_id()})

        await eventually(lambda: received_frames.count(delivery_id) >= 2, "the server to resend the unacked message")
        release.set()
        await eventually(lambda: _is(delivery_state(webhook["id"], delivery_id), "acked"), "the delivery acked")
        self.assertEqual([delivery_id], calls)

    async def test_messages_for_an_offline_homey_arrive_in_order_when_it_comes_back(self):
        webhook = await new_webhook("python delivery offline")
        store = MemoryStore()
        first = self.cloud(store=store)
        await first.create_webhook(webhook["id"], webhook["secret"])
        homey_id = await first.get_homey_id()
        await first.close()

        sent = [await send(webhook["id"], {"n": n}, query={"homey": homey_id}) for n in range(5)]

        again = self.cloud(store=store)
        inbox = Inbox()
        # The backlog arrives right after hello, before on_message is attached: none of it may be lost.
        (await again.create_webhook(webhook["id"], webhook["secret"])).on_message(inbox)
        await inbox.wait_for(5)
        self.assertEqual(sent, inbox.ids)
        self.assertEqual(list(range(5)), [m["body"]["n"] for m in inbox.messages])

    async def test_messages_reach_async_and_plain_handlers_in_order(self):
        webhook = await new_webhook("python delivery order")
        cloud = self.cloud()
        plain, seen_async = Inbox(), []

        async def later(message):
            await asyncio.sleep(0)
            seen_async.append(message["body"]["n"])

        registered = await cloud.create_webhook(webhook["id"], webhook["secret"])
        registered.on_message(plain)
        registered.on_message(later)
        homey_id = await cloud.get_homey_id()
        for n in range(20):
            await send(webhook["id"], {"n": n}, query={"homey": homey_id})

        await plain.wait_for(20)
        await eventually(lambda: len(seen_async) == 20, "the async handler to see all messages")
        self.assertEqual(list(range(20)), [m["body"]["n"] for m in plain.messages])
        self.assertEqual(list(range(20)), seen_async)

    async def test_unregister_stops_delivery(self):
        gone = await new_webhook("python delivery unregistered")
        kept = await new_webhook("python delivery kept")
        cloud = self.cloud()
        gone_inbox, kept_inbox = Inbox(), Inbox()
        unregistered = await cloud.create_webhook(gone["id"], gone["secret"])
        unregistered.on_message(gone_inbox)
        (await cloud.create_webhook(kept["id"], kept["secret"])).on_message(kept_inbox)
        homey_id = await cloud.get_homey_id()

        await unregistered.unregister()

        registrations = await api("GET", f"/api/v1/webhooks/{gone['id']}/registrations")
        self.assertEqual([], [r["homeyId"] for r in _items(registrations)])
        await send(gone["id"], {"n": 1}, query={"homey": homey_id})
        await send(kept["id"], {"n": 2}, query={"homey": homey_id})
        await kept_inbox.wait_for(1)  # the barrier: the request before it was routed already
        self.assertEqual([], gone_inbox.messages)

    async def test_unregister_through_the_cloud(self):
        webhook = await new_webhook("python delivery unregister_webhook")
        cloud = self.cloud()
        registered = await cloud.create_webhook(webhook["id"], webhook["secret"])

        await cloud.unregister_webhook(registered)

        registrations = await api("GET", f"/api/v1/webhooks/{webhook['id']}/registrations")
        self.assertEqual([], _items(registrations))


async def _is(state, expected):
    return (await state) == expected


def _items(page):
    return page["items"] if isinstance(page, dict) else page
