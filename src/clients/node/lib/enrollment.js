'use strict';

const { SwitchboardError } = require('./errors');

/**
 * The Homey's identity on a Switchboard server: read from the store, or enrolled once (POST /api/v1/homeys) and
 * written to the store before it is used. A Homey ID is what senders put in `?homey=`, so enrolling again would
 * silently break every URL already handed out: once the store holds credentials, they are used as they are, and a
 * server that refuses them is reported (4401), never papered over by a new enrollment.
 */
class Enrollment {
  /**
   * @param {object} options
   * @param {string} options.url server base URL (http or https)
   * @param {{get: Function, set: Function}} options.store sync or async get(key)/set(key, value)
   * @param {string} options.storeKey where the credentials live in the store
   */
  constructor({ url, store, storeKey }) {
    this.url = url;
    this.store = store;
    this.storeKey = storeKey;
    this._pending = null;
  }

  /** Resolves to {homeyId, homeyKey}; concurrent callers share one enrollment. */
  credentials() {
    if (!this._pending) {
      this._pending = this._load().catch((error) => {
        // A failed attempt (server down, rate limited) must not stick: the next call tries again.
        this._pending = null;
        throw error;
      });
    }
    return this._pending;
  }

  async _load() {
    const stored = await this.store.get(this.storeKey);
    if (isCredentials(stored)) {
      return { homeyId: stored.homeyId, homeyKey: stored.homeyKey };
    }
    const enrolled = await this._enroll();
    await this.store.set(this.storeKey, enrolled);
    return enrolled;
  }

  async _enroll() {
    const endpoint = `${this.url}/api/v1/homeys`;
    let response;
    try {
      response = await fetch(endpoint, { method: 'POST', headers: { accept: 'application/json' } });
    } catch (error) {
      throw new SwitchboardError('enrollment_failed', `Could not reach ${endpoint} to enroll this Homey: ${describe(error)}`,
        { cause: error });
    }
    const text = await response.text();
    if (response.status !== 201) {
      const retryAfter = response.headers.get('retry-after');
      const hint = retryAfter ? ` (retry after ${retryAfter} s)` : '';
      throw new SwitchboardError('enrollment_failed',
        `Enrolling this Homey at ${endpoint} answered ${response.status}${hint}: ${problemDetail(text)}`);
    }
    let body;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new SwitchboardError('enrollment_failed', `Enrolling at ${endpoint} answered 201 without JSON`, { cause: error });
    }
    if (!isCredentials(body)) {
      throw new SwitchboardError('enrollment_failed', `Enrolling at ${endpoint} answered 201 without homeyId and homeyKey`);
    }
    return { homeyId: body.homeyId, homeyKey: body.homeyKey };
  }
}

function isCredentials(value) {
  return value !== null && typeof value === 'object'
    && typeof value.homeyId === 'string' && value.homeyId !== ''
    && typeof value.homeyKey === 'string' && value.homeyKey !== '';
}

function problemDetail(text) {
  try {
    const problem = JSON.parse(text);
    return problem.detail || problem.title || text;
  } catch {
    return text.slice(0, 200) || '(empty body)';
  }
}

/** fetch() hides the useful part (ECONNREFUSED …) in error.cause. */
function describe(error) {
  const cause = error && error.cause;
  return cause && (cause.code || cause.message) ? `${cause.code || ''} ${cause.message || ''}`.trim() : String(error.message || error);
}

module.exports = { Enrollment };
