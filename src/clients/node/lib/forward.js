'use strict';

const http = require('node:http');
const https = require('node:https');

/**
 * Hop-by-hop headers (RFC 9110 section 7.6.1) describe one connection, not the request: they must not be replayed on
 * ours. `host` and `content-length` are ours to set: the target is another host, and the length is that of the
 * exact bytes we send.
 */
const NOT_FORWARDED = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'host', 'content-length',
]);

/**
 * Replays one message at the target: the original method, the message's query appended to the target's (the
 * original path is not part of a message: it was always /webhook/{id}), the headers, and the raw body bytes
 * untouched, so a signature over the body still verifies. Resolves to {status, ms}; rejects on a network failure.
 */
function forward(message, target, { timeoutMs = 30_000 } = {}) {
  const url = new URL(target);
  appendQuery(url, message.query);
  const headers = forwardedHeaders(message.headers);
  const body = message.rawBody;
  if (body.length > 0 || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(message.method)) {
    headers['content-length'] = String(body.length);
  }
  const client = url.protocol === 'https:' ? https : http;
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const request = client.request(url, { method: message.method, headers, timeout: timeoutMs }, (response) => {
      // Drain the answer so the socket is free again; its content is the target's business.
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, ms: elapsedMs(started) }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

function forwardedHeaders(original = {}) {
  const headers = {};
  const named = new Set(String(original.connection || '').toLowerCase().split(',').map((name) => name.trim()));
  for (const [name, value] of Object.entries(original)) {
    const lower = name.toLowerCase();
    if (!NOT_FORWARDED.has(lower) && !named.has(lower)) {
      headers[lower] = value;
    }
  }
  if (original.host) {
    headers['x-forwarded-host'] = original.host;
  }
  return headers;
}

function appendQuery(url, query = {}) {
  for (const [name, value] of Object.entries(query)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      url.searchParams.append(name, String(one));
    }
  }
}

function elapsedMs(started) {
  return Number((process.hrtime.bigint() - started) / 1_000_000n);
}

module.exports = { forward, forwardedHeaders, appendQuery };
