#!/usr/bin/env node
'use strict';

// Runs app.js on a computer, as a Homey would: `node run.js [--env env.json] [--settings settings.json]`.
// Ctrl-C calls onUninit and exits.

const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { parseArgs } = require('node:util');

const { values } = parseArgs({
  options: {
    env: { type: 'string', default: path.join(__dirname, 'env.json') },
    settings: { type: 'string', default: path.join(__dirname, 'settings.json') },
  },
});

// `require('homey')` gets the stand-in; `require('@switchboard/homey-cloud')` the installed package, or the one in
// this repository when the example runs from a checkout without `npm install`.
const standIn = path.join(__dirname, 'homey-stand-in.js');
const repositoryPackage = path.join(__dirname, '..', '..', 'node', 'index.js');
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveForExample(request, ...rest) {
  if (request === 'homey') {
    return standIn;
  }
  try {
    return resolve.call(this, request, ...rest);
  } catch (error) {
    if (request === '@switchboard/homey-cloud') {
      return repositoryPackage;
    }
    throw error;
  }
};

const Homey = require('homey');
Object.assign(Homey.env, JSON.parse(fs.readFileSync(values.env, 'utf8')));
const App = require('./app');

const app = new App({ settingsFile: path.resolve(values.settings) });
const stop = async () => {
  await app.onUninit();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
app.onInit().catch((error) => {
  app.error('onInit failed:', error.message);
  process.exit(1);
});
