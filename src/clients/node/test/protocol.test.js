'use strict';

// Cases the real server produces only by chance (a resend crossing an ack), checked against a scripted socket;
// and the pure parts (backoff, the bounded ID memory, forwarded headers).

const test = require('node:test');
const assert = require('node:assert/strict');
const { once } = require('node:events');
const { WebSocketServer } = require('ws');
const { SwitchboardCloud, MemoryStore } = require('..');
const { backoff } = require('../lib/connection');
const { RecentIds } = require('../lib/recent-ids');
const { forwardedHeaders } = require('../lib/forward');
const { waitUntil, quiet } = require('./helpers');

const HOMEY = { homeyId: 'aaaaaaaaaaaaaaaaaaaaaaaa', homeyKey: 'key' };
const WEBHOOK = 'bbbbbbbbbbbbbbbbbbbbbbbb';

/** A server that welcomes, accepts every subscribe, and records what the client sends. */
async function scriptedServer(t) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/homey/v1/socket' });
  await once(server, 'listening');
  const received = [];
  let socket;
  server.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      received.push(frame);
      if (frame.type === 'hello') {
        ws.send(JSON.stringify({ type: 'welcome', homeyId: frame.homeyId }));
      } else if (frame.type === 'subscribe') {
        ws.send(JSON.stringify({ type: 'subscribed', webhookId: frame.webhookId }));
      }
    });
  });
  t.after(() => new Promise((resolve) => {
    server.clients.forEach((client) => client.terminate());
    server.close(resolve);
  }));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    received,
    send: (frame) => socket.send(JSON.stringify(frame)),
    acks: (id) => received.filter((frame) => frame.type === 'ack' && frame.id === id).length,
  };
}

function message(id, n) {
  return {
    type: 'message', id, webhookId: WEBHOOK, receivedAt: '2026-11-27T05:00:00.123Z', method: 'POST',
    headers: { 'content-type': 'application/json' }, query: {}, body: { n }, rawBody: Buffer.from(`{"n":${n}}`).toString('base64'),
  };
}

test('a resend that arrives after the ack is acknowledged again but not passed on', async (t) => {
  const server = await scriptedServer(t);
  const store = new MemoryStore();
  store.set('switchboard', HOMEY);
  const cloud = new SwitchboardCloud({ url: server.url, store, logger: quiet });
  t.after(() => cloud.close());
  const webhook = await cloud.createWebhook(WEBHOOK, 'secret', { $key: 'x' });
  const handled = [];
  webhook.on('message', (args) => { handled.push(args.id); });

  server.send(message('000000000001aaaaaaaaaaaa', 1));
  await waitUntil(() => server.acks('000000000001aaaaaaaaaaaa') === 1, 5_000, 'the first ack');
  server.send(message('000000000001aaaaaaaaaaaa', 1));
  server.send(message('000000000002aaaaaaaaaaaa', 2));
  await waitUntil(() => server.acks('000000000002aaaaaaaaaaaa') === 1, 5_000, 'the second message\'s ack');
  await waitUntil(() => server.acks('000000000001aaaaaaaaaaaa') === 2, 5_000, 'the duplicate\'s ack');
  assert.deepEqual(handled, ['000000000001aaaaaaaaaaaa', '000000000002aaaaaaaaaaaa']);
});

test('messages that arrive before the app listens wait for its handler instead of being lost', async (t) => {
  const server = await scriptedServer(t);
  const store = new MemoryStore();
  store.set('switchboard', HOMEY);
  const cloud = new SwitchboardCloud({ url: server.url, store, logger: quiet });
  t.after(() => cloud.close());
  // Pending messages come right after welcome, before createWebhook() has resolved for this webhook.
  const other = 'cccccccccccccccccccccccc';
  await cloud.createWebhook(other, 'secret');
  server.send(message('000000000003aaaaaaaaaaaa', 3));
  server.send(message('000000000004aaaaaaaaaaaa', 4));
  await waitUntil(() => server.received.some((frame) => frame.type === 'subscribe'), 5_000, 'the subscribe');
  const webhook = await cloud.createWebhook(WEBHOOK, 'secret');
  await new Promise((resolve) => { setImmediate(resolve); });
  assert.equal(server.acks('000000000003aaaaaaaaaaaa'), 0, 'not acknowledged while nobody handled it');
  const handled = [];
  webhook.on('message', (args) => { handled.push(args.body.n); });
  await waitUntil(() => server.acks('000000000004aaaaaaaaaaaa') === 1, 5_000, 'the acks');
  assert.deepEqual(handled, [3, 4]);
});

test('backoff grows from the minimum to the maximum, with jitter', () => {
  const options = { minDelayMs: 1_000, maxDelayMs: 60_000 };
  for (let attempt = 0; attempt < 12; attempt += 1) {
    const step = Math.min(60_000, 1_000 * 2 ** attempt);
    const delays = Array.from({ length: 50 }, () => backoff(attempt, options));
    assert.ok(delays.every((delay) => delay >= step / 2 && delay <= step), `attempt ${attempt}: ${delays}`);
    assert.ok(new Set(delays).size > 1, `attempt ${attempt} is jittered`);
  }
  assert.ok(backoff(1_000, options) <= 60_000);
});

test('the memory of handled IDs is bounded and forgets the oldest first', () => {
  const ids = new RecentIds(3);
  ['a', 'b', 'c', 'd'].forEach((id) => ids.add(id));
  assert.equal(ids.size, 3);
  assert.equal(ids.has('a'), false);
  assert.equal(ids.has('d'), true);
});

test('forwarded headers drop hop-by-hop ones, host and content-length, and add x-forwarded-host', () => {
  assert.deepEqual(forwardedHeaders({
    host: 'hooks.example.com', 'content-length': '12', connection: 'keep-alive, x-private', 'keep-alive': 'timeout=5',
    'transfer-encoding': 'chunked', upgrade: 'h2c', te: 'trailers', 'x-private': '1',
    'content-type': 'application/json', 'x-signature': 'abc', authorization: 'Bearer t',
  }), {
    'content-type': 'application/json', 'x-signature': 'abc', authorization: 'Bearer t',
    'x-forwarded-host': 'hooks.example.com',
  });
});
