'use strict';

// At-least-once delivery as an app sees it: acks after handlers, resends, duplicates, order, offline, 4409.
// The test profile resends an unacknowledged message after 2 s (switchboard.homeys.ack-timeout).

const path = require('node:path');
const test = require('node:test');
const assert = require('node:assert/strict');
const { SwitchboardCloud, FileStore } = require('..');
const { api, newWebhook, send, newCloud, newProxy, tempDir, Inbox, waitUntil, nextEvent, quiet, env } = require('./helpers');

/** The delivery log's view of one message for one Homey, once it reached `state`. */
async function targetOnceIn(webhookId, deliveryId, homeyId, state) {
  let target;
  await waitUntil(async () => {
    const detail = await api('GET', `/webhooks/${webhookId}/deliveries/${deliveryId}`);
    target = detail.status === 200 ? detail.body.targets.find((one) => one.homeyId === homeyId) : undefined;
    return target !== undefined && target.state === state;
  }, 15_000, `delivery ${deliveryId} to be ${state}`);
  return target;
}

test('a handler that throws gets the same message again; once handled it is acknowledged', async (t) => {
  const cloud = newCloud(t);
  const { id, secret } = await newWebhook();
  const webhook = await cloud.createWebhook(id, secret);
  const errors = [];
  webhook.on('error', (error) => errors.push(error));
  const calls = [];
  webhook.on('message', async (message) => {
    calls.push(message.id);
    if (calls.length === 1) {
      throw new Error('database not ready yet');
    }
  });
  const homeyId = await cloud.getHomeyId();

  const deliveryId = await send(id, { query: `?homey=${homeyId}`, body: { n: 1 } });
  await waitUntil(() => calls.length === 2, 15_000, 'the resent message');
  assert.deepEqual(calls, [deliveryId, deliveryId]);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, 'handler_failed');
  assert.equal(errors[0].messageId, deliveryId);
  assert.match(errors[0].message, /database not ready yet/);
  assert.match(errors[0].message, new RegExp(`webhook ${id}`));

  const target = await targetOnceIn(id, deliveryId, homeyId, 'acked');
  assert.ok(target.attempts >= 2, `sent ${target.attempts} times`);
});

test('a message resent while its handler still runs is not passed on twice, and is acknowledged once handled', async (t) => {
  const cloud = newCloud(t);
  const { id, secret } = await newWebhook();
  const webhook = await cloud.createWebhook(id, secret);
  const homeyId = await cloud.getHomeyId();
  const calls = [];
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  webhook.on('message', async (message) => {
    calls.push(message.id);
    await released;
  });

  const deliveryId = await send(id, { query: `?homey=${homeyId}`, body: { slow: true } });
  await waitUntil(() => calls.length === 1, 10_000, 'the message');
  // The server sends it again while the handler is busy (no ack yet): wait until the log shows a second attempt.
  await waitUntil(async () => {
    const detail = await api('GET', `/webhooks/${id}/deliveries/${deliveryId}`);
    const target = detail.body.targets && detail.body.targets.find((one) => one.homeyId === homeyId);
    return target !== undefined && target.attempts >= 2;
  }, 15_000, 'a resend of the unacknowledged message');
  release();
  await targetOnceIn(id, deliveryId, homeyId, 'acked');

  // A later message goes through the same handler: by then any duplicate would have been passed on.
  const laterId = await send(id, { query: `?homey=${homeyId}`, body: { slow: false } });
  await waitUntil(() => calls.length === 2, 10_000, 'the later message');
  assert.deepEqual(calls, [deliveryId, laterId]);
});

test('messages sent while the client is offline arrive, in order, after it reconnects by itself', async (t) => {
  const proxy = await newProxy(t);
  const cloud = newCloud(t, { url: proxy.url });
  const { id, secret } = await newWebhook({ keyPath: 'query.device' });
  const inbox = new Inbox(await cloud.createWebhook(id, secret, { $key: 'offline-lamp' }));

  proxy.refuse(true);
  const disconnected = nextEvent(cloud, 'disconnected');
  proxy.cut();
  assert.equal((await disconnected).willReconnect, true);
  const sent = [];
  for (let n = 0; n < 5; n += 1) {
    sent.push(await send(id, { query: '?device=offline-lamp', body: { n } }));
  }
  const connected = nextEvent(cloud, 'connected');
  proxy.refuse(false);
  await connected;

  const received = [];
  for (let n = 0; n < 5; n += 1) {
    received.push(await inbox.next(15_000));
  }
  assert.deepEqual(received.map((message) => message.id), sent);
  assert.deepEqual(received.map((message) => message.body.n), [0, 1, 2, 3, 4]);
});

test('a second client with the same credentials takes over; the first stops with a clear error and stays stopped', async (t) => {
  const storeFile = path.join(tempDir(t), 'shared-store.json');
  const options = { url: env.url, reconnect: { minDelayMs: 20, maxDelayMs: 100 }, logger: quiet };
  const first = new SwitchboardCloud({ ...options, store: new FileStore(storeFile) });
  t.after(() => first.close());
  const { id, secret } = await newWebhook();
  const firstWebhook = await first.createWebhook(id, secret);
  const firstInbox = new Inbox(firstWebhook);
  const firstErrors = [];
  const webhookErrors = [];
  first.on('error', (error) => firstErrors.push(error));
  firstWebhook.on('error', (error) => webhookErrors.push(error));
  let firstReconnects = 0;
  first.on('connected', () => { firstReconnects += 1; });

  const second = new SwitchboardCloud({ ...options, store: new FileStore(storeFile) });
  t.after(() => second.close());
  const secondErrors = [];
  second.on('error', (error) => secondErrors.push(error));
  let secondDrops = 0;
  second.on('disconnected', () => { secondDrops += 1; });
  const secondInbox = new Inbox(await second.createWebhook(id, secret));
  assert.equal(await second.getHomeyId(), await first.getHomeyId());

  await waitUntil(() => firstErrors.length > 0, 10_000, 'the first client to report 4409');
  assert.equal(firstErrors[0].code, 'replaced');
  assert.equal(firstErrors[0].closeCode, 4409);
  assert.match(firstErrors[0].message, /Another client connected/);
  assert.match(firstErrors[0].message, /will not reconnect/);
  assert.deepEqual(webhookErrors.map((error) => error.code), ['replaced'], 'the webhook hears it too');
  await assert.rejects(first.createWebhook(id, secret), { code: 'replaced' });

  // Messages flow to the second; the first neither reconnects nor takes the socket back (which would drop the second).
  for (let n = 0; n < 3; n += 1) {
    await send(id, { query: `?homey=${await second.getHomeyId()}`, body: { n } });
    assert.deepEqual((await secondInbox.next()).body, { n });
  }
  assert.equal(firstReconnects, 0);
  assert.equal(secondDrops, 0);
  assert.deepEqual(secondErrors, []);
  assert.equal(firstInbox.messages.length, 0);
});
