'use strict';

// The example Homey app (src/clients/examples/node-app), started by its runner against the server.

const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { once } = require('node:events');
const test = require('node:test');
const assert = require('node:assert/strict');
const { newWebhook, send, tempDir, waitUntil, env } = require('./helpers');

test('the example app logs a message sent with ?homey= to the Homey it enrolled as', async (t) => {
  const appDir = path.join(env.examples, 'node-app');
  const dir = tempDir(t);
  const { id, secret } = await newWebhook();
  const envFile = path.join(dir, 'env.json');
  const settingsFile = path.join(dir, 'settings.json');
  fs.writeFileSync(envFile, JSON.stringify({ SWITCHBOARD_URL: env.url, WEBHOOK_ID: id, WEBHOOK_SECRET: secret }));

  const child = spawn(process.execPath, [path.join(appDir, 'run.js'), '--env', envFile, '--settings', settingsFile],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  const exited = once(child, 'exit');
  const out = [];
  const err = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => out.push(line));
  readline.createInterface({ input: child.stderr }).on('line', (line) => err.push(line));
  const logged = (pattern) => out.some((line) => pattern.test(line));

  await waitUntil(() => logged(/Listening for webhook/) || child.exitCode !== null, 20_000,
    `the app to start (stderr: ${err.join('\n')})`);
  const urlLine = out.find((line) => line.includes('Webhook URL for this Homey'));
  const homeyId = /\?homey=([0-9a-f]{24})/.exec(urlLine)[1];
  assert.equal(JSON.parse(fs.readFileSync(settingsFile, 'utf8')).switchboard.homeyId, homeyId,
    'the credentials live in this.homey.settings');

  const marker = `hello-from-test-${process.pid}`;
  await send(id, { query: `?homey=${homeyId}`, body: { greeting: marker } });
  await waitUntil(() => logged(new RegExp(`body: \\{ greeting: '${marker}' \\}`)), 15_000, `the app to log the message (stdout: ${out.join('\n')})`);
  assert.ok(logged(/Got a webhook message!/));

  child.kill('SIGINT');
  const [code] = await exited;
  assert.equal(code, 0, `stderr: ${err.join('\n')}`);
});
