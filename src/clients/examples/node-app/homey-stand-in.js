'use strict';

// The few parts of the `homey` module that app.js uses, for running it on a computer: Homey.App with this.log,
// this.error and this.homey.settings, and Homey.env. On a Homey the real module is used and this file is not.

const fs = require('node:fs');
const util = require('node:util');

/** this.homey.settings: synchronous get/set/unset/getKeys, persisted to a JSON file like a Homey keeps them. */
class Settings {
  constructor(file) {
    this.file = file;
    this.values = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  }

  get(key) {
    return Object.prototype.hasOwnProperty.call(this.values, key) ? this.values[key] : null;
  }

  set(key, value) {
    this.values[key] = value;
    fs.writeFileSync(this.file, `${JSON.stringify(this.values, null, 2)}\n`, { mode: 0o600 });
  }

  unset(key) {
    delete this.values[key];
    fs.writeFileSync(this.file, `${JSON.stringify(this.values, null, 2)}\n`, { mode: 0o600 });
  }

  getKeys() {
    return Object.keys(this.values);
  }
}

class App {
  constructor({ settingsFile }) {
    this.homey = { settings: new Settings(settingsFile) };
  }

  log(...args) {
    process.stdout.write(`${new Date().toISOString()} [log] ${util.format(...args)}\n`);
  }

  error(...args) {
    process.stderr.write(`${new Date().toISOString()} [err] ${util.format(...args)}\n`);
  }
}

module.exports = { App, env: {} };
