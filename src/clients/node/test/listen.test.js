'use strict';

// `switchboard listen` as a developer runs it: a real process, a real target server, a real Switchboard.

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { once } = require('node:events');
const test = require('node:test');
const assert = require('node:assert/strict');
const { newWebhook, send, tempDir, waitUntil, env } = require('./helpers');
const { listenOptions } = require('../lib/listen');

const BIN = path.join(__dirname, '..', 'bin', 'switchboard.js');
const SIGNING_KEY = 'test-signing-key';

const sign = (bytes) => crypto.createHmac('sha256', SIGNING_KEY).update(bytes).digest('hex');

/** The local app under development: records requests, checks each signature over the bytes it got. */
async function targetServer(t) {
  const requests = [];
  const failOnce = new Set();
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const record = {
        method: request.method, url: request.url, headers: request.headers, body,
        signatureValid: request.headers['x-signature'] === sign(body),
      };
      requests.push(record);
      const marker = request.headers['x-fail-once'];
      if (marker && !failOnce.has(marker)) {
        failOnce.add(marker);
        response.writeHead(503).end('not yet');
        return;
      }
      response.writeHead(record.signatureValid ? 204 : 401).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }));
  return { url: `http://127.0.0.1:${server.address().port}`, requests };
}

/** Starts `switchboard listen` and waits for its first line, which names the Homey to address with ?homey=. */
async function startListen(t, args) {
  const child = spawn(process.execPath, [BIN, 'listen', ...args], { cwd: tempDir(t), stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const errors = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  readline.createInterface({ input: child.stderr }).on('line', (line) => errors.push(line));
  const exited = once(child, 'exit');
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  await waitUntil(() => lines.length > 0 || child.exitCode !== null, 20_000, `listen to start (stderr: ${errors.join('\n')})`);
  assert.match(lines[0] || '', /^Listening on webhook/, `first line; stderr: ${errors.join('\n')}`);
  const homeyId = /as Homey ([0-9a-f]{24})/.exec(lines[0])[1];
  return { child, lines, errors, homeyId, exited };
}

test('switchboard listen forwards form, JSON and binary bodies byte-exact, with method, query and headers', async (t) => {
  const target = await targetServer(t);
  const { id, secret } = await newWebhook();
  const dir = tempDir(t);
  const envFile = path.join(dir, 'env.json');
  fs.writeFileSync(envFile, JSON.stringify({ SWITCHBOARD_URL: env.url, WEBHOOK_ID: id, WEBHOOK_SECRET: secret }));
  const listener = await startListen(t, ['--forward', `${target.url}/hook?from=listen`, '--env', envFile,
    '--store', path.join(dir, 'listen-store.json')]);
  const host = new URL(env.url).host;

  const form = Buffer.from('name=Hall+lamp&state=on&note=caf%C3%A9&empty=');
  const json = Buffer.from('{ "b": 1,\n  "a": [1.0, 2e3],  "s": "\\u00e9" }'); // re-serialising would change it
  const binary = Buffer.concat([Buffer.from([0x00, 0xff, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x82, 0x00]), crypto.randomBytes(600)]);
  const sent = [
    { method: 'POST', type: 'application/x-www-form-urlencoded', body: form, query: 'a=1&a=2&q=x%20y' },
    { method: 'PUT', type: 'application/json; charset=utf-8', body: json, query: 'v=2' },
    { method: 'POST', type: 'application/octet-stream', body: binary, query: '' },
  ];
  const ids = [];
  for (const one of sent) {
    ids.push(await send(id, {
      method: one.method,
      query: `?homey=${listener.homeyId}${one.query ? `&${one.query}` : ''}`,
      headers: { 'content-type': one.type, 'x-signature': sign(one.body), 'x-request-tag': one.method },
      body: one.body,
    }));
  }
  await waitUntil(() => target.requests.length >= 3, 15_000, 'three forwarded requests');

  const [formRequest, jsonRequest, binaryRequest] = target.requests;
  for (const [request, one] of [[formRequest, sent[0]], [jsonRequest, sent[1]], [binaryRequest, sent[2]]]) {
    assert.equal(request.method, one.method);
    assert.ok(request.body.equals(one.body), `${one.type}: the bytes arrived unchanged`);
    assert.ok(request.signatureValid, `${one.type}: the sender's HMAC verifies at the target`);
    assert.equal(request.headers['content-type'], one.type);
    assert.equal(request.headers['content-length'], String(one.body.length));
    assert.equal(request.headers['x-forwarded-host'], host);
    assert.equal(request.headers['x-request-tag'], one.method);
    assert.equal(request.headers.host, new URL(target.url).host);
  }
  const query = (request) => new URL(request.url, target.url);
  assert.equal(query(formRequest).pathname, '/hook');
  assert.deepEqual(query(formRequest).searchParams.getAll('a'), ['1', '2']);
  assert.equal(query(formRequest).searchParams.get('q'), 'x y');
  assert.equal(query(formRequest).searchParams.get('from'), 'listen', "the target URL's own query is kept");
  assert.equal(query(formRequest).searchParams.get('homey'), listener.homeyId);
  assert.equal(query(jsonRequest).searchParams.get('v'), '2');

  // One line per message: time, method, id, status, latency.
  await waitUntil(() => listener.lines.length >= 4, 5_000, 'the log lines');
  ids.forEach((deliveryId, n) => {
    assert.match(listener.lines[n + 1], new RegExp(`^\\S+Z ${sent[n].method} ${deliveryId} 204 \\d+ms$`));
  });

  listener.child.kill('SIGINT');
  const [code] = await listener.exited;
  assert.equal(code, 0, `Ctrl-C exits cleanly (stderr: ${listener.errors.join('\n')})`);
});

test('switchboard listen does not acknowledge a non-2xx answer, so the message comes again', async (t) => {
  const target = await targetServer(t);
  const { id, secret } = await newWebhook({ keyPath: "headers['X-Device-Id']" });
  const dir = tempDir(t);
  // Credentials from flags and the environment this time, and registration data from --data.
  const listener = await startListen(t, ['--forward', `${target.url}/retry`, '--url', env.url, '--id', id,
    '--secret', secret, '--data', '{"$key":"listen-device"}', '--store', path.join(dir, 'store.json')]);

  const body = Buffer.from('{"turned_on":true}');
  const deliveryId = await send(id, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', 'x-device-id': 'listen-device', 'x-signature': sign(body), 'x-fail-once': 'yes' },
    body,
  });
  await waitUntil(() => target.requests.length >= 2, 15_000, 'the resend after a 503');
  assert.equal(target.requests.length, 2);
  for (const request of target.requests) {
    assert.equal(request.method, 'PATCH');
    assert.ok(request.body.equals(body));
    assert.ok(request.signatureValid);
  }
  await waitUntil(() => listener.lines.length >= 3, 5_000, 'two log lines');
  assert.match(listener.lines[1], new RegExp(`PATCH ${deliveryId} 503 \\d+ms \\(not acknowledged; Switchboard will resend\\)$`));
  assert.match(listener.lines[2], new RegExp(`PATCH ${deliveryId} 204 \\d+ms$`));
  listener.child.kill('SIGTERM');
  assert.equal((await listener.exited)[0], 0);
});

test('switchboard listen leaves a message unacknowledged when the target is down', async (t) => {
  const { id, secret } = await newWebhook();
  const dir = tempDir(t);
  const down = http.createServer();
  down.listen(0, '127.0.0.1');
  await once(down, 'listening');
  const deadUrl = `http://127.0.0.1:${down.address().port}/hook`;
  down.close(); // nothing listens there any more: connection refused
  const listener = await startListen(t, ['--forward', deadUrl, '--url', env.url, '--id', id, '--secret', secret,
    '--store', path.join(dir, 'store.json')]);
  const deliveryId = await send(id, { query: `?homey=${listener.homeyId}`, body: { n: 1 } });
  await waitUntil(() => listener.lines.length >= 3, 15_000, 'a first attempt and a resend');
  for (const line of listener.lines.slice(1, 3)) {
    assert.match(line, new RegExp(`POST ${deliveryId} ECONNREFUSED \\(not acknowledged; Switchboard will resend\\)$`));
  }
  listener.child.kill('SIGINT');
  assert.equal((await listener.exited)[0], 0);
});

test('switchboard listen takes a secret that starts with a dash, as a random one may', () => {
  const options = listenOptions(['--forward', 'http://127.0.0.1:9/', '--url', 'http://127.0.0.1:8', '--id', 'abc',
    '--secret', '-Zq0_dash-first', '--data', '{"$key":"-k"}'], {});
  assert.equal(options.secret, '-Zq0_dash-first');
  assert.deepEqual(options.data, { $key: '-k' });
  assert.throws(() => listenOptions(['--forward', 'http://127.0.0.1:9/', '--bogus', 'x'], {}), /Unknown option '--bogus'/);
});

test('switchboard listen explains what is missing', async (t) => {
  const child = spawn(process.execPath, [BIN, 'listen', '--forward', 'http://127.0.0.1:9/'], {
    cwd: tempDir(t), env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const [code] = await once(child, 'exit');
  assert.equal(code, 2);
  assert.match(stderr, /Missing --url or SWITCHBOARD_URL, --id or WEBHOOK_ID, --secret or WEBHOOK_SECRET/);
});
