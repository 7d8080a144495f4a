'use strict';

// createWebhook against the real server: the three routing options, upsert, unregister and refusals.

const test = require('node:test');
const assert = require('node:assert/strict');
const { api, newWebhook, send, newCloud, Inbox } = require('./helpers');

test('?homey=<homeyId> delivers the message with headers, query, body, method and the exact raw bytes', async (t) => {
  const cloud = newCloud(t);
  const { id, secret } = await newWebhook();
  const webhook = await cloud.createWebhook(id, secret);
  const inbox = new Inbox(webhook);
  const homeyId = await cloud.getHomeyId();
  assert.match(homeyId, /^[0-9a-f]{24}$/);

  const raw = '{"device_id": "aaabbbccc",\n "turned_on": true}';
  const deliveryId = await send(id, {
    query: `?homey=${homeyId}&room=hall&room=attic`,
    headers: { 'content-type': 'application/json; charset=utf-8', 'X-Device-Id': 'aaa' },
    body: raw,
  });

  const message = await inbox.next();
  assert.equal(message.id, deliveryId);
  assert.equal(message.webhookId, id);
  assert.equal(message.method, 'POST');
  assert.equal(message.headers['x-device-id'], 'aaa');
  assert.deepEqual(message.query, { homey: homeyId, room: ['hall', 'attic'] });
  assert.deepEqual(message.body, { device_id: 'aaabbbccc', turned_on: true });
  assert.ok(Buffer.isBuffer(message.rawBody));
  assert.equal(message.rawBody.toString('utf8'), raw);
  assert.ok(!Number.isNaN(Date.parse(message.receivedAt)), `receivedAt ${message.receivedAt} is a time`);
  assert.deepEqual(webhook.toJSON(), { id, data: {} });
});

test('a message without a body has an empty rawBody Buffer', async (t) => {
  const cloud = newCloud(t);
  const { id, secret } = await newWebhook();
  const inbox = new Inbox(await cloud.createWebhook(id, secret));
  await send(id, { method: 'GET', query: `?homey=${await cloud.getHomeyId()}&x=1` });
  const message = await inbox.next();
  assert.equal(message.method, 'GET');
  assert.deepEqual(message.body, {});
  assert.ok(Buffer.isBuffer(message.rawBody));
  assert.equal(message.rawBody.length, 0);
});

test('a key path delivers to the registration whose $key, or whose $keys contains, the value found', async (t) => {
  const { id, secret } = await newWebhook({ keyPath: "headers['X-Device-Id']" });
  const single = newCloud(t);
  const several = newCloud(t);
  const singleInbox = new Inbox(await single.createWebhook(id, secret, { $key: 'lamp-1' }));
  const severalInbox = new Inbox(await several.createWebhook(id, secret, { $keys: ['lamp-2', 'lamp-3'] }));

  await send(id, { headers: { 'X-Device-Id': 'nobody' }, body: { n: 0 } });
  await send(id, { headers: { 'X-Device-Id': 'lamp-3' }, body: { n: 1 } });
  await send(id, { headers: { 'x-device-id': 'lamp-1' }, body: { n: 2 } });

  assert.deepEqual((await severalInbox.next()).body, { n: 1 }, '$keys: the unmatched message came first if it came at all');
  assert.deepEqual((await singleInbox.next()).body, { n: 2 }, '$key: the others are not for this Homey');
});

test('a legacy cloud function delivers where it returns true', async (t) => {
  const { id, secret } = await newWebhook({ legacyFunction: 'return homey_data.deviceId === webhook_data.device_id;' });
  const cloud = newCloud(t);
  const inbox = new Inbox(await cloud.createWebhook(id, secret, { deviceId: 'bulb-7' }));

  await send(id, { body: { device_id: 'bulb-8', turned_on: false } });
  await send(id, { body: { device_id: 'bulb-7', turned_on: true } });

  assert.deepEqual((await inbox.next()).body, { device_id: 'bulb-7', turned_on: true });
});

test('createWebhook again for a registered webhook replaces its data (upsert) and returns the same webhook', async (t) => {
  const { id, secret } = await newWebhook({ keyPath: 'body.device' });
  const cloud = newCloud(t);
  const first = await cloud.createWebhook(id, secret, { $keys: ['old-device'] });
  const inbox = new Inbox(first);
  const second = await cloud.createWebhook(id, secret, { $keys: ['new-device'] });
  assert.equal(second, first);
  assert.deepEqual(second.toJSON(), { id, data: { $keys: ['new-device'] } });

  const registration = await api('GET', `/webhooks/${id}/registrations/${await cloud.getHomeyId()}`);
  assert.equal(registration.status, 200);
  assert.deepEqual(registration.body.data, { $keys: ['new-device'] });

  await send(id, { body: { device: 'old-device' } });
  await send(id, { body: { device: 'new-device' } });
  assert.deepEqual((await inbox.next()).body, { device: 'new-device' });
});

test('unregister removes the registration and stops delivery', async (t) => {
  const cloud = newCloud(t);
  const gone = await newWebhook();
  const kept = await newWebhook();
  const goneWebhook = await cloud.createWebhook(gone.id, gone.secret);
  const goneInbox = new Inbox(goneWebhook);
  const keptInbox = new Inbox(await cloud.createWebhook(kept.id, kept.secret));
  const homeyId = await cloud.getHomeyId();

  await send(gone.id, { query: `?homey=${homeyId}`, body: { n: 1 } });
  assert.deepEqual((await goneInbox.next()).body, { n: 1 });

  await goneWebhook.unregister();
  assert.equal((await api('GET', `/webhooks/${gone.id}/registrations/${homeyId}`)).status, 404);

  await send(gone.id, { query: `?homey=${homeyId}`, body: { n: 2 } });
  await send(kept.id, { query: `?homey=${homeyId}`, body: { n: 3 } });
  // One Homey's messages arrive in order: had the second one been passed on, it would be here by now.
  assert.deepEqual((await keptInbox.next()).body, { n: 3 });
  assert.equal(goneInbox.messages.length, 1);

  // cloud.unregisterWebhook takes an ID too.
  await cloud.unregisterWebhook(kept.id);
  assert.equal((await api('GET', `/webhooks/${kept.id}/registrations/${homeyId}`)).status, 404);
});

test('refusals reject with a clear error: invalid_secret, webhook_not_found, invalid_data', async (t) => {
  const cloud = newCloud(t);
  const { id, secret } = await newWebhook();
  const unknown = 'abcdef0123456789abcdef01';

  await assert.rejects(cloud.createWebhook(id, `${secret}-wrong`), (error) => {
    assert.equal(error.code, 'invalid_secret');
    assert.equal(error.webhookId, id);
    assert.match(error.message, new RegExp(`webhook ${id}`));
    return true;
  });
  await assert.rejects(cloud.createWebhook(unknown, secret), (error) => {
    assert.equal(error.code, 'webhook_not_found');
    assert.match(error.message, new RegExp(unknown));
    return true;
  });
  await assert.rejects(cloud.createWebhook(id, secret, { $keys: [{ nested: true }] }), (error) => {
    assert.equal(error.code, 'invalid_data');
    assert.match(error.message, new RegExp(id));
    assert.match(error.message, /\$keys/, 'the server says what is wrong with the data');
    return true;
  });
  // Refused locally, before any frame: the same codes.
  await assert.rejects(cloud.createWebhook('not-an-id', secret), { code: 'webhook_not_found' });
  await assert.rejects(cloud.createWebhook(id, secret, ['a']), { code: 'invalid_data' });

  // The client still works after refusals, and nothing refused was registered.
  const inbox = new Inbox(await cloud.createWebhook(id, secret, { $key: 'fine' }));
  await send(id, { query: `?homey=${await cloud.getHomeyId()}`, body: { ok: true } });
  assert.deepEqual((await inbox.next()).body, { ok: true });
});

test('a refused upsert keeps the webhook registered with its earlier data', async (t) => {
  const { id, secret } = await newWebhook({ keyPath: 'body.device' });
  const cloud = newCloud(t);
  const webhook = await cloud.createWebhook(id, secret, { $key: 'd1' });
  const inbox = new Inbox(webhook);
  await assert.rejects(cloud.createWebhook(id, secret, { $key: null }), { code: 'invalid_data' });
  assert.deepEqual(webhook.toJSON(), { id, data: { $key: 'd1' } });
  await send(id, { body: { device: 'd1' } });
  assert.deepEqual((await inbox.next()).body, { device: 'd1' });
});
