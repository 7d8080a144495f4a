'use strict';

// The connection under trouble, against the real server through a TCP proxy: dropped sockets, a socket that
// goes silent while looking open, refused credentials, and enrolling only once.

const fs = require('node:fs');
const path = require('node:path');
const test = require('node:test');
const assert = require('node:assert/strict');
const { SwitchboardCloud, FileStore, MemoryStore } = require('..');
const { api, newWebhook, send, newCloud, newProxy, tempDir, Inbox, waitUntil, nextEvent, quiet, env } = require('./helpers');

test('a socket dropped on the server side is reconnected and every webhook re-subscribed, without the app doing anything', async (t) => {
  const proxy = await newProxy(t);
  const cloud = newCloud(t, { url: proxy.url });
  const keyed = await newWebhook({ keyPath: "headers['X-Device-Id']" });
  const byQuery = await newWebhook();
  const keyedWebhook = await cloud.createWebhook(keyed.id, keyed.secret, { $keys: ['hall'] });
  const keyedInbox = new Inbox(keyedWebhook);
  const queryInbox = new Inbox(await cloud.createWebhook(byQuery.id, byQuery.secret));
  const homeyId = await cloud.getHomeyId();
  const webhookEvents = [];
  keyedWebhook.on('disconnected', () => webhookEvents.push('disconnected'));
  keyedWebhook.on('connected', () => webhookEvents.push('connected'));

  // Remove the registrations behind the client's back: only a re-subscription brings them back.
  for (const { id } of [keyed, byQuery]) {
    assert.equal((await api('DELETE', `/webhooks/${id}/registrations/${homeyId}`)).status, 204);
  }
  const reconnected = nextEvent(cloud, 'connected');
  proxy.cut();
  await reconnected;
  await waitUntil(async () => (await api('GET', `/webhooks/${keyed.id}/registrations/${homeyId}`)).status === 200
    && (await api('GET', `/webhooks/${byQuery.id}/registrations/${homeyId}`)).status === 200, 10_000, 'the re-subscriptions');
  const registration = await api('GET', `/webhooks/${keyed.id}/registrations/${homeyId}`);
  assert.deepEqual(registration.body.data, { $keys: ['hall'] });

  await send(keyed.id, { headers: { 'X-Device-Id': 'hall' }, body: { after: 'cut' } });
  await send(byQuery.id, { query: `?homey=${homeyId}`, body: { after: 'cut' } });
  assert.deepEqual((await keyedInbox.next()).body, { after: 'cut' });
  assert.deepEqual((await queryInbox.next()).body, { after: 'cut' });
  assert.deepEqual(webhookEvents, ['disconnected', 'connected'], 'webhooks hear connection changes too');
});

test('a connection that goes silent while still looking open is detected, dropped and replaced', async (t) => {
  const proxy = await newProxy(t);
  const cloud = newCloud(t, { url: proxy.url, heartbeat: { intervalMs: 200, timeoutMs: 1_000 } });
  const { id, secret } = await newWebhook();
  const inbox = new Inbox(await cloud.createWebhook(id, secret));
  const homeyId = await cloud.getHomeyId();

  const disconnected = nextEvent(cloud, 'disconnected');
  const reconnected = nextEvent(cloud, 'connected');
  proxy.freeze(); // TCP stays up, nothing passes: only a missing answer to our pings shows it
  const drop = await disconnected;
  assert.match(drop.reason, /no traffic for \d+ ms/);
  assert.equal(drop.willReconnect, true);
  await reconnected;

  await send(id, { query: `?homey=${homeyId}`, body: { after: 'freeze' } });
  assert.deepEqual((await inbox.next()).body, { after: 'freeze' });
});

test('a healthy but quiet connection is kept: our pings are answered', async (t) => {
  const cloud = newCloud(t, { heartbeat: { intervalMs: 100, timeoutMs: 400 } });
  const { id, secret } = await newWebhook();
  const inbox = new Inbox(await cloud.createWebhook(id, secret));
  let drops = 0;
  cloud.on('disconnected', () => { drops += 1; });
  // Several timeouts' worth of no messages: only the answers to our pings keep the connection alive.
  await new Promise((resolve) => { setTimeout(resolve, 1_500); });
  await send(id, { query: `?homey=${await cloud.getHomeyId()}`, body: { still: 'here' } });
  assert.deepEqual((await inbox.next()).body, { still: 'here' });
  assert.equal(drops, 0);
});

test('refused credentials (4401) reject createWebhook and emit error, without a retry loop or a new enrollment', async (t) => {
  const proxy = await newProxy(t);
  const store = new MemoryStore();
  store.set('switchboard', { homeyId: '0123456789abcdef01234567', homeyKey: 'not-the-key' });
  const cloud = new SwitchboardCloud({ url: proxy.url, store, reconnect: { minDelayMs: 10, maxDelayMs: 20 }, logger: quiet });
  t.after(() => cloud.close());
  const errors = [];
  cloud.on('error', (error) => errors.push(error));
  const { id, secret } = await newWebhook();

  await assert.rejects(cloud.createWebhook(id, secret), (error) => {
    assert.equal(error.code, 'unauthorized');
    assert.equal(error.closeCode, 4401);
    assert.match(error.message, /refused the credentials of Homey 0123456789abcdef01234567/);
    return true;
  });
  assert.deepEqual(errors.map((error) => error.code), ['unauthorized']);
  await assert.rejects(cloud.createWebhook(id, secret), { code: 'unauthorized' });
  // With a 10 ms backoff a retry loop would have opened more sockets during these round trips to the server.
  for (let n = 0; n < 3; n += 1) {
    await send(id, { body: { n } });
  }
  assert.equal(proxy.accepted, 1, 'one socket, no retries (and no enrollment through the proxy)');
  assert.equal(await cloud.getHomeyId(), '0123456789abcdef01234567', 'the stored credentials are kept');
});

test('enrolls once: the credentials are stored, and a client with the same store does not enroll again', async (t) => {
  const storeFile = path.join(tempDir(t), 'nested', 'store.json');
  const proxy = await newProxy(t);
  const first = new SwitchboardCloud({ url: env.url, store: new FileStore(storeFile), logger: quiet });
  t.after(() => first.close());
  // Concurrent first calls share one enrollment.
  const [a, b] = await Promise.all([first.getHomeyId(), first.getHomeyId()]);
  assert.equal(a, b);
  const stored = JSON.parse(fs.readFileSync(storeFile, 'utf8'));
  assert.equal(stored.switchboard.homeyId, a);
  assert.equal(typeof stored.switchboard.homeyKey, 'string');
  assert.equal(fs.statSync(storeFile).mode & 0o777, 0o600, 'the key is readable by its owner only');

  // The second client talks through the proxy: any enrollment would show there as a connection.
  const second = new SwitchboardCloud({ url: proxy.url, store: new FileStore(storeFile), logger: quiet });
  t.after(() => second.close());
  assert.equal(await second.getHomeyId(), a);
  assert.equal(proxy.accepted, 0, 'no POST /api/v1/homeys');
  const { id, secret } = await newWebhook();
  const inbox = new Inbox(await second.createWebhook(id, secret));
  await send(id, { query: `?homey=${a}`, body: { same: 'homey' } });
  assert.deepEqual((await inbox.next()).body, { same: 'homey' });
});

test('an async store (like a settings API) works, and the store key is configurable', async (t) => {
  const values = new Map();
  const store = {
    async get(key) { return values.has(key) ? values.get(key) : undefined; },
    async set(key, value) { values.set(key, value); },
  };
  const cloud = newCloud(t, { store, storeKey: 'my-app:switchboard' });
  const homeyId = await cloud.getHomeyId();
  assert.deepEqual([...values.keys()], ['my-app:switchboard']);
  assert.equal(values.get('my-app:switchboard').homeyId, homeyId);
});
