#!/usr/bin/env node
'use strict';

const { listen, USAGE } = require('../lib/listen');

async function main(argv) {
  const [command, ...rest] = argv;
  if (command === 'listen') {
    return listen(rest);
  }
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(`Commands:\n  listen   forward a webhook's messages to a local URL\n\n${USAGE}`);
    return command === undefined ? 2 : 0;
  }
  process.stderr.write(`switchboard: unknown command ${JSON.stringify(command)}; try "switchboard listen --help"\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => {
    process.stderr.write(`switchboard: ${error.stack || error}\n`);
    process.exitCode = 1;
  },
);
