'use strict';

/**
 * The last N message IDs handled, to drop the server's resends (delivery is at least once). Bounded, because a
 * long-running Homey sees an endless stream; a resend comes within seconds of the original, far inside N.
 */
class RecentIds {
  constructor(limit = 1_000) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new TypeError('rememberedMessages must be a positive integer');
    }
    this.limit = limit;
    this._ids = new Set(); // a Set iterates in insertion order: the first is the oldest
  }

  has(id) {
    return this._ids.has(id);
  }

  add(id) {
    this._ids.delete(id);
    this._ids.add(id);
    if (this._ids.size > this.limit) {
      this._ids.delete(this._ids.values().next().value);
    }
  }

  get size() {
    return this._ids.size;
  }
}

module.exports = { RecentIds };
