'use strict';

const { EventEmitter } = require('node:events');
const { Connection } = require('./connection');
const { Enrollment } = require('./enrollment');
const { FileStore } = require('./store');
const { RecentIds } = require('./recent-ids');
const { SwitchboardError } = require('./errors');
const { Webhook, handlerError } = require('./webhook');

const WEBHOOK_ID = /^[0-9a-f]{24}$/;
/** Messages held for webhooks the app has not created (yet) in this process, over all webhooks. */
const MAX_UNCLAIMED = 1_000;

/**
 * `this.homey.cloud` for Switchboard: createWebhook(id, secret, data), getHomeyId(), unregisterWebhook(webhook).
 *
 * Events (see README): `connected`, `disconnected`, `error`. Errors are emitted on the cloud for everything; a
 * webhook also gets those that concern it. An error nobody listens to goes to `logger.error` rather than crashing
 * the app, which is what an unhandled `error` event would do.
 */
class SwitchboardCloud extends EventEmitter {
  /**
   * @param {object} options see index.d.ts
   */
  constructor(options = {}) {
    super();
    const url = baseUrl(options.url);
    this.url = url;
    this.store = options.store || new FileStore('.switchboard-homey.json');
    if (typeof this.store.get !== 'function' || typeof this.store.set !== 'function') {
      throw new TypeError('store must have get(key) and set(key, value) (sync or async), like this.homey.settings');
    }
    this.logger = options.logger || console;
    this._enrollment = new Enrollment({ url, store: this.store, storeKey: options.storeKey || 'switchboard' });
    this._connection = new Connection({
      url,
      credentials: () => this._enrollment.credentials(),
      reconnect: options.reconnect,
      heartbeat: options.heartbeat,
    });
    this._webhooks = new Map(); // live webhooks by ID: re-subscribed on every connection
    this._removals = new Map(); // webhook ID → {sent, waiters}: unsubscribes the server has not answered
    this._requests = []; // subscribe/unsubscribe frames on this socket awaiting an answer, oldest first
    this._seen = new RecentIds(options.rememberedMessages || 1_000);
    this._unclaimed = new Map(); // webhook ID → message frames that arrived before createWebhook() for it
    this._unclaimedCount = 0;
    this._unregistered = new Set();
    this._stopped = null; // the SwitchboardError that stopped this client, if one did

    this._connection.on('connected', (info) => this._onConnected(info));
    this._connection.on('disconnected', (info) => this._onDisconnected(info));
    this._connection.on('frame', (frame) => this._onFrame(frame));
    this._connection.on('problem', (error) => this._report(error));
    this._connection.on('fatal', (error) => this._stop(error));
  }

  /** This Homey's ID (enrolling on first use), for `?homey=` URLs. */
  async getHomeyId() {
    return (await this._enrollment.credentials()).homeyId;
  }

  /**
   * Registers this Homey for a webhook, or replaces its data if it is registered already (the SDK's upsert).
   * Resolves with the webhook once the server accepted it; rejects with a SwitchboardError whose code is
   * `invalid_secret`, `webhook_not_found` or `invalid_data` if it refused. While the server cannot be reached the
   * client keeps trying (reporting `error` events with `willRetry`), so this waits until it can answer.
   */
  async createWebhook(id, secret, data = {}) {
    if (typeof id !== 'string' || !WEBHOOK_ID.test(id)) {
      throw new SwitchboardError('webhook_not_found',
        `Webhook ID ${JSON.stringify(id)} is not a Switchboard webhook ID (24 lowercase hex characters, WEBHOOK_ID in env.json)`,
        { webhookId: id });
    }
    if (typeof secret !== 'string' || secret === '') {
      throw new SwitchboardError('invalid_secret', `Webhook ${id}: the secret is missing (WEBHOOK_SECRET in env.json)`,
        { webhookId: id });
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new SwitchboardError('invalid_data', `Webhook ${id}: data must be an object, like { $keys: ['…'] }`,
        { webhookId: id });
    }
    const copy = JSON.parse(JSON.stringify(data)); // what is sent; later changes to the caller's object do not leak in
    if (this._stopped) {
      throw this._stopped;
    }
    this._unregistered.delete(id);
    const removal = this._removals.get(id);
    if (removal && !removal.sent) {
      // An unsubscribe not yet sent, then a subscribe: the net effect is a registration, so skip the unsubscribe.
      this._removals.delete(id);
      removal.waiters.forEach((waiter) => waiter.resolve());
    }
    let webhook = this._webhooks.get(id);
    const created = webhook === undefined;
    if (created) {
      webhook = new Webhook(this, id);
      this._webhooks.set(id, webhook);
    }
    const { version, accepted } = webhook._assign(secret, copy);
    if (created) {
      this._adoptUnclaimed(webhook);
    }
    this._sendSubscribe(webhook, version);
    this._connection.start();
    return accepted;
  }

  /** Removes this Homey's registration for the webhook (a Webhook or its ID); resolves once the server confirmed. */
  async unregisterWebhook(webhook) {
    const id = typeof webhook === 'string' ? webhook : webhook && webhook.id;
    if (typeof id !== 'string' || !WEBHOOK_ID.test(id)) {
      throw new TypeError('unregisterWebhook needs a webhook returned by createWebhook(), or its ID');
    }
    if (this._stopped) {
      throw this._stopped;
    }
    const live = this._webhooks.get(id);
    if (live) {
      this._webhooks.delete(id);
      // Messages already here were for a registration the app has let go of: acknowledge so they stop coming.
      live._close().forEach((messageId) => this._handled(messageId));
      live._abandon(new SwitchboardError('unregistered', `Webhook ${id} was unregistered before the server answered`,
        { webhookId: id }));
    }
    this._unregistered.add(id);
    this._dropUnclaimed(id);
    let removal = this._removals.get(id);
    if (!removal) {
      removal = { sent: false, waiters: [] };
      this._removals.set(id, removal);
    }
    const done = new Promise((resolve, reject) => removal.waiters.push({ resolve, reject }));
    if (!removal.sent) {
      this._sendUnsubscribe(id, removal);
    }
    this._connection.start();
    return done;
  }

  /** Closes the socket for good (no reconnect). Registrations stay on the server; messages wait there. */
  async close() {
    if (!this._stopped) {
      this._stopped = new SwitchboardError('closed', 'This Switchboard client was closed');
      this._abandonAll(this._stopped);
    }
    await this._connection.close();
  }

  // --- connection events ---------------------------------------------------------------------------------------

  _onConnected(info) {
    this._requests = [];
    // Unsubscribes first: a createWebhook() after an unregister() of the same ID must win.
    for (const [id, removal] of this._removals) {
      this._sendUnsubscribe(id, removal);
    }
    for (const webhook of this._webhooks.values()) {
      this._sendSubscribe(webhook, webhook._version);
    }
    this._broadcast('connected', info);
  }

  _onDisconnected(info) {
    // Whatever was in flight gets no answer on this socket; _onConnected sends it again on the next.
    this._requests = [];
    for (const removal of this._removals.values()) {
      removal.sent = false;
    }
    this._broadcast('disconnected', info);
  }

  _onFrame(frame) {
    switch (frame.type) {
      case 'message':
        this._onMessage(frame);
        break;
      case 'subscribed':
      case 'unsubscribed':
      case 'error':
        this._onAnswer(frame);
        break;
      default:
        break; // newer servers may send more; ignoring keeps old clients working
    }
  }

  _onMessage(frame) {
    if (typeof frame.id !== 'string' || typeof frame.webhookId !== 'string') {
      this._report(new SwitchboardError('protocol', 'Ignored a message frame without id or webhookId'));
      return;
    }
    if (this._seen.has(frame.id)) {
      // Handled already; the server resent it because our ack crossed its resend or was lost with a socket.
      // Acknowledge again, never pass it on twice.
      this._ack(frame.id);
      return;
    }
    const webhook = this._webhooks.get(frame.webhookId);
    if (webhook) {
      webhook._receive(frame);
    } else if (this._unregistered.has(frame.webhookId)) {
      this._handled(frame.id);
    } else {
      this._holdUnclaimed(frame);
    }
  }

  /** Answers come in the order the frames were sent (the server handles a socket's frames one at a time). */
  _onAnswer(frame) {
    const request = this._requests.shift();
    if (!request) {
      this._report(new SwitchboardError('protocol', `Switchboard sent ${frame.type} without a request`
        + `${frame.message ? `: ${frame.message}` : ''}`, { webhookId: frame.webhookId }));
      return;
    }
    if (request.kind === 'subscribe') {
      this._onSubscribeAnswer(request, frame);
    } else {
      this._onUnsubscribeAnswer(request, frame);
    }
  }

  _onSubscribeAnswer({ webhook, version, secret, data }, frame) {
    if (frame.type === 'subscribed') {
      webhook._accepted(version, secret, data);
      return;
    }
    const error = refusal(webhook.id, frame);
    const unawaited = webhook._refused(version, error);
    if (webhook._neverAccepted && this._webhooks.get(webhook.id) === webhook && version === webhook._version) {
      this._webhooks.delete(webhook.id); // createWebhook() failed: nothing to re-subscribe
    }
    if (unawaited) {
      // A re-subscription after a reconnect was refused (secret rotated past its grace period, webhook deleted).
      this._report(error, webhook);
    }
  }

  _onUnsubscribeAnswer({ webhookId, removal }, frame) {
    if (this._removals.get(webhookId) === removal) {
      this._removals.delete(webhookId);
    }
    if (frame.type === 'unsubscribed') {
      removal.waiters.forEach((waiter) => waiter.resolve());
    } else {
      removal.waiters.forEach((waiter) => waiter.reject(refusal(webhookId, frame)));
    }
  }

  // --- sending ---------------------------------------------------------------------------------------------------

  _sendSubscribe(webhook, version) {
    const frame = webhook._subscribeFrame();
    if (this._connection.send(frame)) {
      this._requests.push({ kind: 'subscribe', webhook, version, secret: frame.secret, data: frame.data });
    }
  }

  _sendUnsubscribe(webhookId, removal) {
    if (this._connection.send({ type: 'unsubscribe', webhookId })) {
      removal.sent = true;
      this._requests.push({ kind: 'unsubscribe', webhookId, removal });
    }
  }

  _ack(messageId) {
    // Offline: the server sends the message again on the next socket, and it is acknowledged then.
    this._connection.send({ type: 'ack', id: messageId });
  }

  // --- called by webhooks ----------------------------------------------------------------------------------------

  _handled(messageId) {
    this._seen.add(messageId);
    this._ack(messageId);
  }

  _handlerFailed(webhook, frame, failures) {
    this._report(handlerError(webhook, frame, failures), webhook);
  }

  // --- messages before createWebhook() ---------------------------------------------------------------------------

  /**
   * The server sends a reconnecting Homey everything pending for it right after welcome, for all its webhooks,
   * before the app has had a chance to call createWebhook() for each. Holding those messages (unacknowledged)
   * hands them over as soon as it does, instead of waiting for the server's resend.
   */
  _holdUnclaimed(frame) {
    const held = this._unclaimed.get(frame.webhookId) || [];
    if (held.some((other) => other.id === frame.id) || this._unclaimedCount >= MAX_UNCLAIMED) {
      return;
    }
    held.push(frame);
    this._unclaimed.set(frame.webhookId, held);
    this._unclaimedCount += 1;
  }

  _adoptUnclaimed(webhook) {
    const held = this._unclaimed.get(webhook.id) || [];
    this._dropUnclaimedFrames(webhook.id);
    held.forEach((frame) => webhook._receive(frame));
  }

  _dropUnclaimed(webhookId) {
    (this._unclaimed.get(webhookId) || []).forEach((frame) => this._handled(frame.id));
    this._dropUnclaimedFrames(webhookId);
  }

  _dropUnclaimedFrames(webhookId) {
    const held = this._unclaimed.get(webhookId);
    if (held) {
      this._unclaimedCount -= held.length;
      this._unclaimed.delete(webhookId);
    }
  }

  // --- stopping and reporting ------------------------------------------------------------------------------------

  _stop(error) {
    this._stopped = error;
    this._abandonAll(error);
    this._report(error, ...this._webhooks.values());
  }

  _abandonAll(error) {
    for (const webhook of this._webhooks.values()) {
      webhook._abandon(error);
    }
    for (const removal of this._removals.values()) {
      removal.waiters.forEach((waiter) => waiter.reject(error));
    }
    this._removals.clear();
  }

  _broadcast(event, info) {
    this.emit(event, info);
    for (const webhook of this._webhooks.values()) {
      webhook.emit(event, info);
    }
  }

  /** Emits `error` on the cloud and on the given webhooks; logs it if nobody listens. */
  _report(error, ...webhooks) {
    let heard = false;
    for (const emitter of [this, ...webhooks]) {
      if (emitter.listenerCount('error') > 0) {
        emitter.emit('error', error);
        heard = true;
      }
    }
    if (!heard) {
      this.logger.error(`[switchboard] ${error.message}`);
    }
  }
}

function refusal(webhookId, frame) {
  const code = typeof frame.code === 'string' ? frame.code : 'protocol';
  const detail = frame.message ? `: ${frame.message}` : '';
  return new SwitchboardError(code, `Switchboard refused webhook ${webhookId} (${code})${detail}`, { webhookId });
}

function baseUrl(url) {
  if (typeof url !== 'string' || url === '') {
    throw new TypeError('url is required: the Switchboard server, e.g. Homey.env.SWITCHBOARD_URL');
  }
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`url ${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`url must be http:// or https://, got ${url}`);
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

module.exports = { SwitchboardCloud };
