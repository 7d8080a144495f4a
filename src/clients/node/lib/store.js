'use strict';

const fs = require('node:fs');
const path = require('node:path');

/**
 * A key/value store kept in one JSON file: the default home of a Homey's credentials outside Homey
 * (on a Homey, pass `this.homey.settings`, which has the same get/set shape).
 *
 * Reads and writes are synchronous on purpose: the file is tiny, it is touched once per enrollment, and a
 * synchronous write means the credentials are on disk before the client uses them, so a crash right after
 * enrolling cannot lose them.
 */
class FileStore {
  /** @param {string} file path of the JSON file; created (with its folder) on the first set() */
  constructor(file = '.switchboard-homey.json') {
    if (typeof file !== 'string' || file === '') {
      throw new TypeError('FileStore needs a file path');
    }
    this.file = path.resolve(file);
  }

  get(key) {
    const value = this._read()[key];
    return value === undefined ? null : value;
  }

  set(key, value) {
    const all = this._read();
    all[key] = value;
    this._write(all);
  }

  unset(key) {
    const all = this._read();
    if (key in all) {
      delete all[key];
      this._write(all);
    }
  }

  _write(all) {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    // Write aside and rename: a reader never sees half a file, and a crash mid-write keeps the old one.
    const temporary = `${this.file}.${process.pid}.tmp`;
    // 0600: the file holds the Homey key, which is as good as a password.
    fs.writeFileSync(temporary, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(temporary, this.file);
  }

  _read() {
    let text;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if (error.code === 'ENOENT') {
        return {};
      }
      throw error;
    }
    try {
      const parsed = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new Error('not a JSON object');
      }
      return parsed;
    } catch (error) {
      // Never overwrite a file we cannot read: it may hold credentials someone wants back.
      throw new Error(`Store file ${this.file} is not a JSON object (${error.message}); fix or remove it`);
    }
  }
}

/** A store that lives as long as the process: for tests and one-off scripts (a new Homey every run). */
class MemoryStore {
  constructor() {
    this._values = new Map();
  }

  get(key) {
    return this._values.has(key) ? this._values.get(key) : null;
  }

  set(key, value) {
    this._values.set(key, value);
  }

  unset(key) {
    this._values.delete(key);
  }
}

module.exports = { FileStore, MemoryStore };
