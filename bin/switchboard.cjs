#!/usr/bin/env node
// The `switchboard` command. Runs the TypeScript sources through tsx's CommonJS
// loader so the CLI works straight after `npm ci`, with no build step.
'use strict';
require('tsx/cjs');

const fail = (err) => {
  process.stderr.write(`switchboard: ${err && err.message ? err.message.split('\n')[0] : String(err)}\n`);
  if (process.env.SWITCHBOARD_DEBUG) process.stderr.write(`${err && err.stack}\n`);
  process.exit(1);
};

let main;
try {
  ({ main } = require('../src/main/cli/index.ts'));
} catch (err) {
  fail(err);
}
main(process.argv).catch(fail);
