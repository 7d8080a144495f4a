// The portal's in-browser Homey. It speaks the Homey socket protocol (DESIGN.md, "Homey endpoint") exactly as an
// app's homey.cloud does, and sends test requests to the public sender URL, so what it shows is what real Homeys
// get. Progressive enhancement: without it, the page still lists test Homeys and tests key paths.
(() => {
  'use strict';

  const root = document.querySelector('[data-simulator]');
  if (!root) return;

  const webhookId = root.dataset.webhookId;
  const homeyId = root.dataset.homeyId;
  const el = (testid) => root.querySelector(`[data-testid="${testid}"]`);

  // ---- Sending a test request (works without a test Homey) ----------------------------------------------------

  // Headers a page may not set: fetch drops them silently, and the developer would not know.
  const FORBIDDEN = new Set(['accept-charset', 'accept-encoding', 'access-control-request-headers',
    'access-control-request-method', 'connection', 'content-length', 'cookie', 'cookie2', 'date', 'dnt', 'expect',
    'host', 'keep-alive', 'origin', 'referer', 'set-cookie', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'via']);
  const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

  function field(id) { return document.getElementById(id); }

  function showError(name, message) {
    const error = el(`test-${name}-error`);
    const input = field(`test-${name}`);
    if (!error) return;
    error.textContent = message || '';
    error.hidden = !message;
    if (input) {
      if (message) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
    }
  }

  /** The test request as typed, with the same rules as TestRequestForm on the server. */
  function readRequest() {
    const method = field('test-method').value.trim().toUpperCase();
    const query = field('test-query').value.trim().replace(/^\?/, '');
    const body = field('test-body').value;
    const headers = [];
    const errors = {};
    if (!METHODS.includes(method)) errors.method = 'Choose GET, POST, PUT, PATCH or DELETE';
    if (query.includes('#')) errors.query = 'A query string cannot contain #';
    field('test-headers').value.split(/\r?\n/).some((raw, i) => {
      const line = raw.trim();
      if (!line) return false;
      const colon = line.indexOf(':');
      if (colon < 0) { errors.headers = `Line ${i + 1}: write it as Name: value`; return true; }
      const name = line.slice(0, colon).trim();
      if (!TOKEN.test(name)) { errors.headers = `Line ${i + 1}: "${name}" is not a valid header name`; return true; }
      headers.push([name, line.slice(colon + 1).trim()]);
      return false;
    });
    return { method, query, body, headers, errors };
  }

  function url(query) {
    return `${location.origin}/webhook/${webhookId}${query ? `?${query}` : ''}`;
  }

  function shellQuote(text) { return `'${text.replace(/'/g, `'\\''`)}'`; }

  function updateCurl() {
    const curl = field('test-curl');
    if (!curl) return;
    const request = readRequest();
    const parts = [`curl -X ${request.method || 'POST'} ${shellQuote(url(request.query))}`];
    request.headers.forEach(([name, value]) => parts.push(`-H ${shellQuote(`${name}: ${value}`)}`));
    if (request.body) parts.push(`--data-binary ${shellQuote(request.body)}`);
    curl.textContent = parts.join(' \\\n  ');
  }

  async function send(button) {
    const request = readRequest();
    const errors = { ...request.errors };
    if (!errors.headers) {
      const blocked = request.headers.find(([name]) => {
        const lower = name.toLowerCase();
        return FORBIDDEN.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-');
      });
      if (blocked) errors.headers = `Browsers do not let a page set ${blocked[0]}; use the curl command for that`;
    }
    if (request.body && (request.method === 'GET')) {
      errors.body = 'Browsers cannot send a body with GET; clear the body or choose another method';
    }
    ['method', 'query', 'headers', 'body'].forEach((name) => showError(name, errors[name]));
    if (Object.keys(errors).length) return;

    const headers = new Headers();
    request.headers.forEach(([name, value]) => headers.append(name, value));
    // A string body would make fetch add "text/plain"; a typeless Blob sends the bytes with no Content-Type at all,
    // as a sender that sets none would (and as the key-path tester assumes).
    const hasType = headers.has('content-type');
    const body = request.body === '' ? undefined : (hasType ? request.body : new Blob([request.body]));
    const result = el('send-result');
    button.setAttribute('aria-busy', 'true');
    button.disabled = true;
    try {
      // credentials: 'omit' keeps the portal's session cookie out of the request, and so out of every Homey it reaches.
      const response = await fetch(url(request.query), {
        method: request.method, headers, body, credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer',
      });
      const text = await response.text();
      el('send-status').textContent = `${response.status} ${response.statusText}`.trim();
      el('send-response').textContent = pretty(text);
    } catch (e) {
      el('send-status').textContent = 'Not sent';
      el('send-response').textContent = String(e && e.message ? e.message : e);
    } finally {
      result.hidden = false;
      button.removeAttribute('aria-busy');
      button.disabled = false;
    }
  }

  function pretty(text) {
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
  }

  // The form is swapped by htmx after a key-path test, so listen on the root rather than on its elements.
  root.addEventListener('click', (event) => {
    const button = event.target.closest('[data-action="send"]');
    if (button) { event.preventDefault(); send(button); }
  });
  root.addEventListener('input', (event) => {
    if (event.target.closest('#test-request')) updateCurl();
  });
  function enhanceForm() {
    const sendButton = root.querySelector('[data-action="send"]');
    if (sendButton) sendButton.hidden = false;
    updateCurl();
  }
  document.body.addEventListener('htmx:afterSwap', enhanceForm);
  enhanceForm();

  // ---- The Homey ---------------------------------------------------------------------------------------------

  if (!homeyId) return;

  const state = el('connection-state');
  const detail = el('connection-detail');
  const onlineButton = el('go-online');
  const offlineButton = el('go-offline');
  const subscribeButton = el('subscribe');
  const unsubscribeButton = el('unsubscribe');
  const dataField = el('registration-data');
  const dataError = el('registration-data-error');
  const registration = el('registration-state');
  const autoAck = el('auto-ack');
  const list = el('messages');
  const noMessages = el('no-messages');
  const frameLog = el('socket-frames');

  let credentials = null;
  let socket = null;
  let wantOnline = false;
  let everOnline = false;
  let retryTimer = null;
  let retryDelay = 1000;
  const messages = new Map();

  function setState(name, text, more) {
    state.dataset.state = name;
    state.textContent = text;
    if (more !== undefined) detail.textContent = more;
    const connected = name === 'online';
    // One of the two at a time: "Go offline" while connected or trying to, else "Connect" / "Come back online".
    const on = connected || name === 'connecting';
    onlineButton.hidden = on;
    onlineButton.disabled = on;
    onlineButton.textContent = everOnline ? 'Come back online' : 'Connect';
    offlineButton.hidden = !on;
    offlineButton.disabled = !on;
    subscribeButton.disabled = !connected;
    unsubscribeButton.disabled = !connected;
  }

  function log(direction, frame) {
    const shown = { ...frame };
    if (shown.homeyKey) shown.homeyKey = '•••';
    if (shown.secret) shown.secret = '•••';
    const item = document.createElement('li');
    item.textContent = `${direction} ${JSON.stringify(shown)}`;
    frameLog.append(item);
    while (frameLog.children.length > 200) frameLog.firstElementChild.remove();
  }

  function sendFrame(frame) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    log('→', frame);
    return true;
  }

  async function loadCredentials() {
    const get = async (path) => {
      const response = await fetch(path, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      return response.json();
    };
    // The test Homey's key (only its owner gets it) and the webhook's env.json, as the app has them.
    const [homey, env] = await Promise.all([
      get(`/api/v1/test-homeys/${homeyId}/credentials`),
      get(`/api/v1/webhooks/${webhookId}/env.json`),
    ]);
    return { homeyId: homey.homeyId, homeyKey: homey.homeyKey, webhookId: env.WEBHOOK_ID, secret: env.WEBHOOK_SECRET };
  }

  async function connect() {
    clearTimeout(retryTimer);
    wantOnline = true;
    if (socket) return;
    setState('connecting', 'Connecting…', '');
    try {
      credentials = credentials || await loadCredentials();
    } catch (e) {
      setState('refused', 'Offline', `Could not load this test Homey's credentials (${e.message}). Reload the page to sign in again.`);
      wantOnline = false;
      return;
    }
    if (!wantOnline || socket) return;
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/homey/v1/socket`);
    socket = ws;
    ws.addEventListener('open', () => {
      if (socket !== ws) return;
      sendFrame({ type: 'hello', homeyId: credentials.homeyId, homeyKey: credentials.homeyKey });
    });
    ws.addEventListener('message', (event) => {
      if (socket !== ws) return;
      let frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      log('←', frame);
      onFrame(frame);
    });
    ws.addEventListener('close', (event) => {
      if (socket === ws) socket = null;
      closed(event);
    });
  }

  function closed(event) {
    if (event.code === 4401) {
      wantOnline = false;
      setState('refused', 'Refused', 'The server refused this test Homey\'s credentials (4401). Was it deleted?');
    } else if (event.code === 4409) {
      wantOnline = false;
      setState('offline', 'Offline', 'Another connection for this test Homey took over (4409): is it open in another tab?');
    } else if (!wantOnline) {
      setState('offline', 'Offline', 'You went offline. Messages for this Homey wait on the server until it comes back.');
    } else {
      const seconds = Math.round(retryDelay / 1000);
      setState('connecting', 'Reconnecting…', `Connection lost (${event.code}${event.reason ? `: ${event.reason}` : ''}); retrying in ${seconds} s.`);
      retryTimer = setTimeout(() => { if (wantOnline) connect(); }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    }
  }

  function goOffline() {
    wantOnline = false;
    clearTimeout(retryTimer);
    if (socket) {
      socket.close(1000, 'Went offline');
      setState('connecting', 'Going offline…');
    } else {
      setState('offline', 'Offline', 'You went offline.');
    }
  }

  function onFrame(frame) {
    switch (frame.type) {
      case 'welcome':
        everOnline = true;
        retryDelay = 1000;
        setState('online', 'Online', `Connected as ${frame.homeyId}.`);
        break;
      case 'subscribed':
        registration.textContent = 'Registered for this webhook with the data above.';
        break;
      case 'unsubscribed':
        registration.textContent = 'Not registered for this webhook.';
        break;
      case 'error':
        if (frame.code === 'invalid_data') showDataError(frame.message);
        registration.textContent = `Error ${frame.code}: ${frame.message}`;
        break;
      case 'message':
        received(frame);
        break;
      default:
        break;
    }
  }

  function showDataError(message) {
    dataError.textContent = message || '';
    dataError.hidden = !message;
    if (message) dataField.setAttribute('aria-invalid', 'true'); else dataField.removeAttribute('aria-invalid');
  }

  /** The data as the app would pass it, or null with the error shown next to the field. */
  function readData() {
    let data;
    try {
      data = JSON.parse(dataField.value);
    } catch (e) {
      showDataError(`Not valid JSON: ${e.message}`);
      return null;
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      showDataError('data must be a JSON object, e.g. {"$keys": ["abc"]}');
      return null;
    }
    showDataError('');
    return data;
  }

  function subscribe() {
    const data = readData();
    if (!data) return;
    registration.textContent = 'Registering…';
    sendFrame({ type: 'subscribe', webhookId: credentials.webhookId, secret: credentials.secret, data });
  }

  function unsubscribe() {
    registration.textContent = 'Unregistering…';
    sendFrame({ type: 'unsubscribe', webhookId: credentials.webhookId });
  }

  function pre(testid, value) {
    const block = document.createElement('pre');
    const code = document.createElement('code');
    code.dataset.testid = testid;
    code.textContent = JSON.stringify(value, null, 2);
    block.append(code);
    return block;
  }

  function received(frame) {
    const known = messages.get(frame.id);
    if (known) {
      known.count += 1;
      known.times.textContent = `received ${known.count}×`;
      known.times.hidden = false;
      // Sent again because the ack was not in before the timeout or reconnect: an app that handled it acks again.
      if (autoAck.checked || known.acked) acknowledge(frame.id);
      return;
    }
    noMessages.hidden = true;
    const item = document.createElement('li');
    item.dataset.testid = 'message';
    item.dataset.deliveryId = frame.id;

    const header = document.createElement('header');
    const method = document.createElement('strong');
    method.textContent = frame.method;
    const id = document.createElement('code');
    id.textContent = frame.id;
    const time = document.createElement('time');
    time.dateTime = frame.receivedAt;
    time.textContent = frame.receivedAt;
    const ackState = document.createElement('span');
    ackState.className = 'ack-state';
    ackState.dataset.testid = 'message-ack-state';
    const times = document.createElement('small');
    times.className = 'muted';
    times.dataset.testid = 'message-received-count';
    times.hidden = true;
    const ackButton = document.createElement('button');
    ackButton.type = 'button';
    ackButton.className = 'secondary small-button';
    ackButton.dataset.testid = 'ack';
    ackButton.textContent = 'Acknowledge';
    ackButton.addEventListener('click', () => acknowledge(frame.id));
    header.append(method, id, time, ackState, times, ackButton);

    const caption = document.createElement('p');
    caption.innerHTML = '<small>What <code>on(\'message\', args)</code> receives:</small>';
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = 'The whole message frame';
    details.append(summary, pre('message-frame', frame));

    item.append(header, caption, pre('message-args', { headers: frame.headers, query: frame.query, body: frame.body }),
      details);
    list.append(item);
    const entry = { item, ackState, ackButton, times, count: 1, acked: false };
    messages.set(frame.id, entry);
    showAck(entry);
    if (autoAck.checked) acknowledge(frame.id);
  }

  function acknowledge(deliveryId) {
    const entry = messages.get(deliveryId);
    if (!entry || !sendFrame({ type: 'ack', id: deliveryId })) return;
    entry.acked = true;
    showAck(entry);
  }

  function showAck(entry) {
    entry.ackState.dataset.acked = String(entry.acked);
    entry.ackState.textContent = entry.acked ? 'Acknowledged' : 'Not acknowledged';
    entry.ackButton.hidden = entry.acked;
  }

  onlineButton.addEventListener('click', connect);
  offlineButton.addEventListener('click', goOffline);
  subscribeButton.addEventListener('click', subscribe);
  unsubscribeButton.addEventListener('click', unsubscribe);
  dataField.addEventListener('input', () => { if (!dataError.hidden) readData(); });
  autoAck.addEventListener('change', () => {
    if (!autoAck.checked) return;
    messages.forEach((entry, deliveryId) => { if (!entry.acked) acknowledge(deliveryId); });
  });
  window.addEventListener('pagehide', () => { wantOnline = false; if (socket) socket.close(1000, 'Page closed'); });

  // A Homey is on unless told otherwise: connect as the page opens.
  connect();
})();
