'use strict';

const fs = require('node:fs');
const { parseArgs } = require('node:util');
const { SwitchboardCloud } = require('./cloud');
const { FileStore } = require('./store');
const { forward } = require('./forward');

const USAGE = `Usage: switchboard listen --forward <url> [options]

Receives the messages of one Switchboard webhook as a Homey would, and replays each one at a local URL:
same method, the message's query, its headers (hop-by-hop and host dropped, x-forwarded-host added) and the
exact body bytes. A message is acknowledged when the target answers 2xx; otherwise Switchboard sends it again.

Options:
  --forward <url>   where to send each message (required), e.g. http://localhost:3000/hook
  --env <file>      env.json with SWITCHBOARD_URL, WEBHOOK_ID and WEBHOOK_SECRET (as the portal downloads it)
  --url <url>       Switchboard server (else SWITCHBOARD_URL from --env or the environment)
  --id <id>         webhook ID (else WEBHOOK_ID)
  --secret <secret> webhook secret (else WEBHOOK_SECRET)
  --data <json>     registration data, e.g. '{"$key":"aaa"}' (default {}: reach it with ?homey=<homeyId>)
  --store <file>    where this listener keeps its Homey credentials (default .switchboard-listen.json)
  --ack-always      acknowledge every message, whatever the target answered
  -h, --help        this text
`;

class UsageError extends Error {}

const OPTIONS = {
  forward: { type: 'string' },
  env: { type: 'string' },
  url: { type: 'string' },
  id: { type: 'string' },
  secret: { type: 'string' },
  data: { type: 'string' },
  store: { type: 'string' },
  'ack-always': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

/**
 * `--secret -x…` as `--secret=-x…`: a value may start with a dash (secrets are random base64url), which parseArgs
 * would otherwise refuse as "ambiguous".
 */
function withValuesAttached(argv) {
  const attached = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : '';
    if (OPTIONS[name] && OPTIONS[name].type === 'string' && i + 1 < argv.length) {
      attached.push(`--${name}=${argv[++i]}`);
    } else {
      attached.push(argv[i]);
    }
  }
  return attached;
}

/** Flags win over env.json, env.json over the environment: the most specific source decides. */
function listenOptions(argv, environment = process.env) {
  const { values } = parseArgs({ args: withValuesAttached(argv), options: OPTIONS, strict: true });
  if (values.help) {
    return { help: true };
  }
  const file = values.env ? readEnvFile(values.env) : {};
  const pick = (flag, name) => values[flag] || file[name] || environment[name];
  const options = {
    forward: values.forward,
    url: pick('url', 'SWITCHBOARD_URL'),
    id: pick('id', 'WEBHOOK_ID'),
    secret: pick('secret', 'WEBHOOK_SECRET'),
    data: values.data === undefined ? {} : parseData(values.data),
    store: values.store || '.switchboard-listen.json',
    ackAlways: values['ack-always'],
  };
  const missing = [
    ['--forward', options.forward], ['--url or SWITCHBOARD_URL', options.url],
    ['--id or WEBHOOK_ID', options.id], ['--secret or WEBHOOK_SECRET', options.secret],
  ].filter(([, value]) => !value).map(([name]) => name);
  if (missing.length > 0) {
    throw new UsageError(`Missing ${missing.join(', ')}`);
  }
  try {
    const target = new URL(options.forward);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new Error('not http(s)');
    }
  } catch {
    throw new UsageError(`--forward must be an http:// or https:// URL, got ${options.forward}`);
  }
  return options;
}

function readEnvFile(file) {
  let parsed;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`Cannot read --env ${file}: ${error.message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`--env ${file} must hold a JSON object like {"SWITCHBOARD_URL": …, "WEBHOOK_ID": …, "WEBHOOK_SECRET": …}`);
  }
  return parsed;
}

function parseData(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--data is not JSON: ${error.message}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError('--data must be a JSON object, e.g. \'{"$key":"aaa"}\'');
  }
  return data;
}

/**
 * Runs until SIGINT/SIGTERM or a fatal error. Resolves to the process exit code.
 * @param {string[]} argv arguments after `listen`
 */
async function listen(argv, { stdout = process.stdout, stderr = process.stderr, environment = process.env, signals = process } = {}) {
  let options;
  try {
    options = listenOptions(argv, environment);
  } catch (error) {
    if (error instanceof UsageError || error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      stderr.write(`switchboard listen: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    stdout.write(USAGE);
    return 0;
  }
  const cloud = new SwitchboardCloud({
    url: options.url,
    store: new FileStore(options.store),
    logger: { error: (text) => stderr.write(`${text}\n`) },
  });
  let finished;
  const done = new Promise((resolve) => { finished = resolve; });
  const stop = (code) => cloud.close().then(() => finished(code), () => finished(code));
  const onSignal = () => stop(0);
  signals.once('SIGINT', onSignal);
  signals.once('SIGTERM', onSignal);

  cloud.on('error', (error) => {
    if (error.code === 'handler_failed') {
      return; // a failed forward, already printed on its message's line
    }
    stderr.write(`${new Date().toISOString()} ${error.message}\n`);
    if (error.code === 'unauthorized' || error.code === 'replaced') {
      stop(1);
    }
  });
  cloud.on('disconnected', ({ code, reason, willReconnect }) => {
    if (willReconnect) {
      stderr.write(`${new Date().toISOString()} disconnected (${code}${reason ? ` ${reason}` : ''}), reconnecting\n`);
    }
  });

  try {
    const homeyId = await cloud.getHomeyId();
    const webhook = await cloud.createWebhook(options.id, options.secret, options.data);
    webhook.on('message', async (message) => {
      let outcome;
      try {
        const { status, ms } = await forward(message, options.forward);
        outcome = { status: String(status), ms, ok: status >= 200 && status < 300 };
      } catch (error) {
        outcome = { status: error.code || error.message, ms: null, ok: false };
      }
      const acked = outcome.ok || options.ackAlways;
      stdout.write(`${new Date().toISOString()} ${message.method} ${message.id} ${outcome.status}`
        + `${outcome.ms === null ? '' : ` ${outcome.ms}ms`}${acked ? '' : ' (not acknowledged; Switchboard will resend)'}\n`);
      if (!acked) {
        // Throwing is how a handler says "not handled": the client then leaves the message unacknowledged.
        throw new Error(`target answered ${outcome.status}`);
      }
    });
    const query = Object.keys(options.data).length === 0 ? ` (senders reach it with ?homey=${homeyId})` : '';
    stdout.write(`Listening on webhook ${options.id} as Homey ${homeyId}${query}, forwarding to ${options.forward}. Ctrl-C to stop.\n`);
  } catch (error) {
    // closed: Ctrl-C while starting; unauthorized and replaced: already printed by the error listener above.
    if (!['closed', 'unauthorized', 'replaced'].includes(error.code)) {
      stderr.write(`switchboard listen: ${error.message}\n`);
    }
    await cloud.close();
    signals.removeListener('SIGINT', onSignal);
    signals.removeListener('SIGTERM', onSignal);
    return error.code === 'closed' ? 0 : 1;
  }
  const code = await done;
  signals.removeListener('SIGINT', onSignal);
  signals.removeListener('SIGTERM', onSignal);
  return code;
}

module.exports = { listen, listenOptions, USAGE };
