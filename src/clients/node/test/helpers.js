'use strict';

// Shared by the suites: the real server's management API, a store per test, and a TCP proxy to cut or freeze
// connections. The server is started by ClientLibrariesTest (see README, "Tests").

const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { once } = require('node:events');
const { SwitchboardCloud, FileStore } = require('..');

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: these tests run against a Switchboard server started by `
      + 'ClientLibrariesTest (./mvnw test -Dtest=ClientLibrariesTest#nodeClientSuite)');
  }
  return value;
}

const env = {
  get url() { return required('SWITCHBOARD_URL'); },
  get token() { return required('SWITCHBOARD_TEST_TOKEN'); },
  get otherToken() { return required('SWITCHBOARD_TEST_OTHER_TOKEN'); },
  get adminToken() { return required('SWITCHBOARD_TEST_ADMIN_TOKEN'); },
  get examples() { return required('SWITCHBOARD_EXAMPLES'); },
};

/** A management API call as the test developer; resolves to {status, body}. */
async function api(method, apiPath, body, { token = env.token, contentType = 'application/json' } = {}) {
  const response = await fetch(`${env.url}/api/v1${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
    body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  });
  const text = await response.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}

/** Creates a webhook through the API; options: keyPath, legacyFunction (set by the admin). */
async function newWebhook({ keyPath, legacyFunction } = {}) {
  const created = await api('POST', '/webhooks', { name: `node client test ${Math.random().toString(36).slice(2, 8)}` });
  expectStatus(created, 201, 'create webhook');
  const { id, secret } = created.body;
  if (keyPath) {
    expectStatus(await api('PATCH', `/webhooks/${id}`, { keyPath }), 200, 'set key path');
  }
  if (legacyFunction) {
    expectStatus(await api('PUT', `/admin/webhooks/${id}/legacy-function`, legacyFunction,
      { token: env.adminToken, contentType: 'text/plain' }), [200, 204], 'import legacy function');
  }
  return { id, secret };
}

function expectStatus(response, expected, what) {
  const ok = Array.isArray(expected) ? expected.includes(response.status) : response.status === expected;
  if (!ok) {
    throw new Error(`${what} answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
}

/**
 * Sends to /webhook/{id} like a manufacturer's API; resolves to the delivery ID.
 * @param {{method?: string, query?: string, headers?: object, body?: string|Buffer|object}} request
 */
async function send(webhookId, { method = 'POST', query = '', headers = {}, body } = {}) {
  const json = body !== undefined && !Buffer.isBuffer(body) && typeof body === 'object';
  const response = await fetch(`${env.url}/webhook/${webhookId}${query}`, {
    method,
    headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...headers },
    body: json ? JSON.stringify(body) : body,
  });
  const answer = await response.json();
  if (response.status !== 200) {
    throw new Error(`send to ${webhookId} answered ${response.status}: ${JSON.stringify(answer)}`);
  }
  return answer.deliveryId;
}

/** A fresh folder for one test; removed after it. */
function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-node-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const quiet = { error() {} };

/** A client with a store of its own and quick timings, closed after the test. */
function newCloud(t, options = {}) {
  const cloud = new SwitchboardCloud({
    url: env.url,
    store: new FileStore(path.join(tempDir(t), 'store.json')),
    reconnect: { minDelayMs: 100, maxDelayMs: 1_000 },
    logger: quiet,
    ...options,
  });
  t.after(() => cloud.close());
  return cloud;
}

/** Collects a webhook's messages; next() waits for the next one not yet taken. */
class Inbox {
  constructor(webhook, handler = () => {}) {
    this.messages = [];
    this._taken = 0;
    this._wakers = [];
    webhook.on('message', async (message) => {
      await handler(message);
      this.messages.push(message);
      this._wakers.splice(0).forEach((wake) => wake());
    });
  }

  async next(timeoutMs = 10_000) {
    await waitUntil(() => this.messages.length > this._taken, timeoutMs, 'a message', this._wakers);
    const message = this.messages[this._taken];
    this._taken += 1;
    return message;
  }
}

/** Waits until condition() is true, re-checking every 25 ms (or when woken); fails after timeoutMs. */
async function waitUntil(condition, timeoutMs, what, wakers = null) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 25);
      if (wakers) {
        wakers.push(() => { clearTimeout(timer); resolve(); });
      }
    });
  }
}

/** The next `event` on an emitter, or a failure after timeoutMs. */
async function nextEvent(emitter, event, timeoutMs = 10_000) {
  // Not events.once: it rejects on any 'error' event, and a cloud reports each failed reconnect attempt as one while
  // a test waits for it to reconnect.
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`No ${event} event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (value) => {
      clearTimeout(timer);
      resolve(value);
    };
    emitter.once(event, listener);
  });
}

/**
 * A TCP proxy between a client and the server: cut() drops every connection like a server restart or a lost
 * network; freeze() keeps connections open but stops passing bytes, like a dead NAT mapping. New connections
 * pass normally unless refuse() is on.
 */
class TcpProxy {
  constructor(targetUrl) {
    const target = new URL(targetUrl);
    this.targetHost = target.hostname;
    this.targetPort = Number(target.port || 80);
    this.pairs = new Set();
    this.accepted = 0;
    this.refusing = false;
    this.server = net.createServer((downstream) => this._accept(downstream));
  }

  async start() {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${this.server.address().port}`;
    return this;
  }

  _accept(downstream) {
    this.accepted += 1;
    if (this.refusing) {
      downstream.destroy();
      return;
    }
    const upstream = net.connect(this.targetPort, this.targetHost);
    const pair = { downstream, upstream };
    this.pairs.add(pair);
    downstream.pipe(upstream);
    upstream.pipe(downstream);
    const end = () => {
      this.pairs.delete(pair);
      downstream.destroy();
      upstream.destroy();
    };
    downstream.on('close', end);
    upstream.on('close', end);
    downstream.on('error', end);
    upstream.on('error', end);
  }

  cut() {
    for (const { downstream, upstream } of this.pairs) {
      downstream.destroy();
      upstream.destroy();
    }
  }

  freeze() {
    for (const { downstream, upstream } of this.pairs) {
      downstream.unpipe(upstream);
      upstream.unpipe(downstream);
      downstream.pause();
      upstream.pause();
    }
  }

  refuse(on) {
    this.refusing = on;
  }

  async close() {
    this.cut();
    this.server.close();
  }
}

async function newProxy(t) {
  const proxy = await new TcpProxy(env.url).start();
  t.after(() => proxy.close());
  return proxy;
}

module.exports = {
  env, api, newWebhook, send, tempDir, newCloud, newProxy, Inbox, waitUntil, nextEvent, TcpProxy, quiet,
};
