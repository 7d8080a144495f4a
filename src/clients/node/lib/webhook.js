'use strict';

const { EventEmitter } = require('node:events');
const { SwitchboardError } = require('./errors');

/** Messages a webhook holds while nobody listens or a handler is busy; more are left to the server's resend. */
const MAX_QUEUED = 1_000;

/**
 * What createWebhook() resolves to, like the Homey SDK's webhook: emits `message` with
 * {headers, query, body, method, rawBody, id, webhookId, receivedAt}.
 *
 * Messages are handed to the listeners one at a time, in the order the server sent them. A message is acknowledged
 * only once every listener has returned (and every promise a listener returned has fulfilled); if one throws or
 * rejects, the message is not acknowledged and the server sends it again. While no `message` listener is attached
 * (between createWebhook() resolving and the app's `on('message')`), messages wait here instead of being lost.
 */
class Webhook extends EventEmitter {
  constructor(cloud, id) {
    super();
    this.id = id;
    this.data = {};
    // Not enumerable: logging the webhook object must not print the secret.
    Object.defineProperty(this, '_secret', { value: '', writable: true, enumerable: false });
    Object.defineProperty(this, '_cloud', { value: cloud, enumerable: false });
    this._version = 0;
    this._confirmed = null; // {secret, data} the server last accepted
    this._waiters = []; // createWebhook() calls waiting for the server's answer: {version, resolve, reject}
    this._queue = [];
    this._queuedIds = new Set();
    this._draining = false;
    this._closed = false;
    this.on('newListener', (event) => {
      if (event === 'message') {
        // newListener fires before the listener is added: start once it is in place.
        setImmediate(() => this._drain());
      }
    });
  }

  /** Removes this Homey's registration for the webhook; no more messages are passed on. */
  unregister() {
    return this._cloud.unregisterWebhook(this);
  }

  toJSON() {
    return { id: this.id, data: this.data };
  }

  /** A createWebhook() call: the data to subscribe with next; resolves when the server accepted this version. */
  _assign(secret, data) {
    this._version += 1;
    this._secret = secret;
    this.data = data;
    const version = this._version;
    return { version, accepted: new Promise((resolve, reject) => this._waiters.push({ version, resolve, reject })) };
  }

  _subscribeFrame() {
    return { type: 'subscribe', webhookId: this.id, secret: this._secret, data: this.data };
  }

  /** The server answered `subscribed` to the frame sent for `version`. */
  _accepted(version, secret, data) {
    this._confirmed = { secret, data };
    this._settle(version, (waiter) => waiter.resolve(this));
  }

  /**
   * The server refused the frame sent for `version`. Returns false when someone was waiting for the answer (their
   * createWebhook() rejects), true when it was a re-subscription nobody awaits, which the caller reports as an event.
   */
  _refused(version, error) {
    if (version === this._version && this._confirmed !== null) {
      // An upsert the server refused leaves the earlier registration in place: keep re-subscribing with that one.
      this._secret = this._confirmed.secret;
      this.data = this._confirmed.data;
    }
    return this._settle(version, (waiter) => waiter.reject(error)) === 0;
  }

  /** Nothing was ever accepted for this webhook: createWebhook() failed and the object is not live. */
  get _neverAccepted() {
    return this._confirmed === null;
  }

  _settle(version, how) {
    const due = this._waiters.filter((waiter) => waiter.version <= version);
    this._waiters = this._waiters.filter((waiter) => waiter.version > version);
    due.forEach(how);
    return due.length;
  }

  /** Rejects whatever still waits for the server; used when the client stops or the webhook is unregistered. */
  _abandon(error) {
    const waiting = this._waiters;
    this._waiters = [];
    waiting.forEach((waiter) => waiter.reject(error));
  }

  /** Stops passing messages on; returns the IDs of the messages still waiting here. */
  _close() {
    this._closed = true;
    const ids = this._queue.map((frame) => frame.id);
    this._queue = [];
    this._queuedIds.clear();
    return ids;
  }

  /** A message frame for this webhook that was not acknowledged before (the cloud drops those). */
  _receive(frame) {
    if (this._closed || this._queuedIds.has(frame.id)) {
      // Queued or being handled: the server resent it because the ack is not out yet; it will be.
      return;
    }
    if (this._queue.length >= MAX_QUEUED) {
      return; // not acknowledged, so the server sends it again once there is room
    }
    this._queuedIds.add(frame.id);
    this._queue.push(frame);
    this._drain();
  }

  async _drain() {
    if (this._draining) {
      return;
    }
    this._draining = true;
    try {
      while (!this._closed && this._queue.length > 0 && this.listenerCount('message') > 0) {
        const frame = this._queue[0];
        const failures = await this._handle(frame);
        if (this._closed) {
          return; // unregistered meanwhile: _close() took the queue
        }
        this._queue.shift();
        this._queuedIds.delete(frame.id);
        if (failures.length === 0) {
          this._cloud._handled(frame.id);
        } else {
          this._cloud._handlerFailed(this, frame, failures);
        }
      }
    } finally {
      this._draining = false;
    }
  }

  async _handle(frame) {
    const args = messageArgs(frame);
    // new Promise(...) turns a synchronous throw into a rejection, so both mean "not handled".
    const outcomes = await Promise.allSettled(this.listeners('message')
      .map((listener) => new Promise((resolve) => resolve(listener.call(this, args)))));
    return outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => outcome.reason);
  }
}

/** The `message` event's argument: the SDK's {headers, query, body} plus what forwarding and signature checks need. */
function messageArgs(frame) {
  return {
    id: frame.id,
    webhookId: frame.webhookId,
    receivedAt: frame.receivedAt,
    method: frame.method,
    headers: frame.headers || {},
    query: frame.query || {},
    body: frame.body === undefined || frame.body === null ? {} : frame.body,
    // The exact bytes the sender sent: a signature (HMAC over the body) must be checked against these, never
    // against a re-serialised `body`.
    rawBody: typeof frame.rawBody === 'string' ? Buffer.from(frame.rawBody, 'base64') : Buffer.alloc(0),
  };
}

function handlerError(webhook, frame, failures) {
  const first = failures[0];
  const reason = first instanceof Error ? first.message : String(first);
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more handler(s) failed)` : '';
  return new SwitchboardError('handler_failed',
    `A message handler of webhook ${webhook.id} failed on message ${frame.id}: ${reason}${more}. `
    + 'The message was not acknowledged, so Switchboard will send it again.',
    { webhookId: webhook.id, messageId: frame.id, cause: first });
}

module.exports = { Webhook, messageArgs, handlerError };
