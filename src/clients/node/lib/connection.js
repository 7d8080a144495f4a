'use strict';

const { EventEmitter } = require('node:events');
const WebSocket = require('ws');
const { SwitchboardError } = require('./errors');

const CLOSE_UNAUTHORIZED = 4401;
const CLOSE_REPLACED = 4409;

const DEFAULT_RECONNECT = Object.freeze({ minDelayMs: 1_000, maxDelayMs: 60_000 });
// The server pings every 30 s. We ping too (so a healthy server always answers well within the timeout, whatever
// its own ping interval) and give up on a socket that stayed silent for the server's interval plus a margin.
const DEFAULT_HEARTBEAT = Object.freeze({ intervalMs: 25_000, timeoutMs: 45_000 });

/**
 * One logical connection to the Homey endpoint that survives sockets: it says hello on every new socket, and
 * reconnects with exponential backoff and jitter when a socket drops or goes silent. It knows nothing about
 * webhooks; the cloud listens to it.
 *
 * Events:
 * - `connected` ({homeyId}): welcome received; frames may be sent now.
 * - `disconnected` ({code, reason, willReconnect}): a socket that had been welcomed is gone.
 * - `frame` (object): any frame after welcome.
 * - `problem` (SwitchboardError): a failed attempt; another follows after the backoff.
 * - `fatal` (SwitchboardError): 4401 or 4409; the connection stopped for good.
 */
class Connection extends EventEmitter {
  /**
   * @param {object} options
   * @param {string} options.url server base URL, http(s)://host[:port][/prefix]
   * @param {() => Promise<{homeyId: string, homeyKey: string}>} options.credentials
   * @param {{minDelayMs?: number, maxDelayMs?: number}} [options.reconnect]
   * @param {{intervalMs?: number, timeoutMs?: number}} [options.heartbeat]
   */
  constructor({ url, credentials, reconnect = {}, heartbeat = {} }) {
    super();
    this.socketUrl = `${url.replace(/^http/, 'ws')}/homey/v1/socket`;
    this._credentials = credentials;
    this._reconnect = { ...DEFAULT_RECONNECT, ...reconnect };
    this._heartbeat = { ...DEFAULT_HEARTBEAT, ...heartbeat };
    this._state = 'idle'; // idle → connecting ⇄ waiting, open; stopped is final
    this._socket = null;
    this._welcomed = false;
    this._attempt = 0;
    this._retryTimer = null;
    this._heartbeatTimer = null;
    this._lastHeard = 0;
    this._homeyId = null;
  }

  /** Opens the first socket; later calls do nothing. */
  start() {
    if (this._state === 'idle') {
      this._connect();
    }
  }

  /** Welcomed and able to send frames right now. */
  get ready() {
    return this._welcomed && this._socket !== null && this._socket.readyState === WebSocket.OPEN;
  }

  get stopped() {
    return this._state === 'stopped';
  }

  /** Sends a frame if a welcomed socket is open; false otherwise (the caller resends after the next `connected`). */
  send(frame) {
    if (!this.ready) {
      return false;
    }
    this._socket.send(JSON.stringify(frame));
    return true;
  }

  /** Closes the socket and stops reconnecting. */
  async close() {
    if (this._state === 'stopped') {
      return;
    }
    this._state = 'stopped';
    clearTimeout(this._retryTimer);
    const socket = this._socket;
    if (socket === null || socket.readyState === WebSocket.CLOSED) {
      return;
    }
    await new Promise((resolve) => {
      socket.once('close', resolve);
      if (socket.readyState === WebSocket.CONNECTING) {
        socket.terminate();
        return;
      }
      socket.close(1000, 'client closed');
      // A server that does not answer the close handshake must not keep close() waiting.
      setTimeout(() => socket.terminate(), 2_000).unref();
    });
  }

  async _connect() {
    this._state = 'connecting';
    let credentials;
    try {
      credentials = await this._credentials();
    } catch (error) {
      if (this._state !== 'stopped') {
        this._retry(error instanceof SwitchboardError ? error
          : new SwitchboardError('enrollment_failed', `Could not get this Homey's credentials: ${error.message}`, { cause: error }));
      }
      return;
    }
    if (this._state === 'stopped') {
      return;
    }
    this._homeyId = credentials.homeyId;
    const socket = new WebSocket(this.socketUrl, { handshakeTimeout: this._heartbeat.timeoutMs });
    this._socket = socket;
    let failure = null;
    let silentFor = null;

    socket.on('open', () => {
      this._heard();
      socket.send(JSON.stringify({ type: 'hello', homeyId: credentials.homeyId, homeyKey: credentials.homeyKey }));
      this._startHeartbeat(socket, (ms) => { silentFor = ms; });
    });
    socket.on('message', (data, isBinary) => {
      this._heard();
      this._onData(data, isBinary);
    });
    socket.on('ping', () => this._heard());
    socket.on('pong', () => this._heard());
    socket.on('error', (error) => { failure = error; });
    socket.on('close', (code, reasonBuffer) => {
      let reason = reasonBuffer.toString();
      if (silentFor !== null) {
        reason = `no traffic for ${silentFor} ms, connection presumed dead`;
      } else if (!reason && failure) {
        reason = failure.code || failure.message;
      }
      this._closed(socket, code, reason);
    });
  }

  _onData(data, isBinary) {
    let frame;
    try {
      if (isBinary) {
        throw new Error('binary frame');
      }
      frame = JSON.parse(data.toString('utf8'));
      if (frame === null || typeof frame !== 'object' || typeof frame.type !== 'string') {
        throw new Error('no type');
      }
    } catch (error) {
      this.emit('problem', new SwitchboardError('protocol', `Ignored a frame from ${this.socketUrl} that is not a JSON object with a type (${error.message})`));
      return;
    }
    if (!this._welcomed) {
      if (frame.type === 'welcome') {
        this._welcomed = true;
        this._state = 'open';
        // Reset only once a socket is really usable, so a server that accepts TCP and then refuses keeps backing off.
        this._attempt = 0;
        this.emit('connected', { homeyId: frame.homeyId || this._homeyId });
      }
      return;
    }
    this.emit('frame', frame);
  }

  _closed(socket, code, reason) {
    if (socket !== this._socket) {
      return;
    }
    this._socket = null;
    clearInterval(this._heartbeatTimer);
    const wasWelcomed = this._welcomed;
    this._welcomed = false;
    const fatal = this._state !== 'stopped' ? fatalError(code, reason, this._homeyId, this.socketUrl) : null;
    const willReconnect = this._state !== 'stopped' && fatal === null;
    if (wasWelcomed) {
      this.emit('disconnected', { code, reason, willReconnect });
    }
    if (fatal !== null) {
      this._state = 'stopped';
      this.emit('fatal', fatal);
      return;
    }
    if (!willReconnect) {
      return;
    }
    if (wasWelcomed) {
      this._retry(null);
    } else {
      this._retry(new SwitchboardError('connection_failed',
        `Could not connect to ${this.socketUrl} (close ${code}${reason ? `: ${reason}` : ''})`, { closeCode: code }));
    }
  }

  _retry(problem) {
    const delay = backoff(this._attempt, this._reconnect);
    this._attempt += 1;
    this._state = 'waiting';
    if (problem !== null) {
      problem.willRetry = true;
      problem.retryInMs = delay;
      this.emit('problem', problem);
    }
    if (this._state !== 'waiting') {
      return; // a `problem` listener closed us
    }
    this._retryTimer = setTimeout(() => this._connect(), delay);
  }

  _startHeartbeat(socket, onSilence) {
    const { intervalMs, timeoutMs } = this._heartbeat;
    clearInterval(this._heartbeatTimer);
    // Checked more often than we ping, so a dead socket is noticed within timeoutMs plus a quarter at most.
    const tick = Math.max(10, Math.min(intervalMs, Math.floor(timeoutMs / 4)));
    let sinceLastPing = 0;
    this._heartbeatTimer = setInterval(() => {
      const silent = Date.now() - this._lastHeard;
      if (silent > timeoutMs) {
        // A socket through a dead NAT or a frozen proxy still looks open: only a missing answer shows it.
        onSilence(silent);
        socket.terminate();
        return;
      }
      sinceLastPing += tick;
      if (sinceLastPing >= intervalMs && socket.readyState === WebSocket.OPEN) {
        sinceLastPing = 0;
        socket.ping();
      }
    }, tick);
  }

  _heard() {
    this._lastHeard = Date.now();
  }
}

/** Exponential backoff with equal jitter: half the step is fixed, half random, so clients that dropped together spread out. */
function backoff(attempt, { minDelayMs, maxDelayMs }) {
  const step = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(attempt, 30));
  return Math.round(step / 2 + Math.random() * (step / 2));
}

function fatalError(code, reason, homeyId, socketUrl) {
  if (code === CLOSE_UNAUTHORIZED) {
    return new SwitchboardError('unauthorized',
      `Switchboard at ${socketUrl} refused the credentials of Homey ${homeyId} (close 4401${reason ? `: ${reason}` : ''}). `
      + 'Stopped without retrying: the same credentials would be refused again. If this Homey was deleted on the server, '
      + 'remove its credentials from the store so the client enrolls anew.', { closeCode: code });
  }
  if (code === CLOSE_REPLACED) {
    return new SwitchboardError('replaced',
      `Another client connected to Switchboard as Homey ${homeyId} (close 4409), so this one stopped and will not reconnect. `
      + 'Two running copies with the same credentials would take the connection from each other; give each copy its own store.',
      { closeCode: code });
  }
  return null;
}

module.exports = { Connection, backoff, DEFAULT_RECONNECT, DEFAULT_HEARTBEAT };
