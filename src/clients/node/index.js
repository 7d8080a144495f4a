'use strict';

const { SwitchboardCloud } = require('./lib/cloud');
const { Webhook } = require('./lib/webhook');
const { FileStore, MemoryStore } = require('./lib/store');
const { SwitchboardError } = require('./lib/errors');

module.exports = { SwitchboardCloud, Webhook, FileStore, MemoryStore, SwitchboardError };
