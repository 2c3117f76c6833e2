#!/usr/bin/env node
// The `switchboard` command. Runs the TypeScript sources through tsx's CommonJS
// loader so the CLI works straight after `npm ci`, with no build step.
'use strict';
require('tsx/cjs');
const { main } = require('../src/main/cli/index.ts');
main(process.argv).catch((err) => {
  process.stderr.write(`switchboard: ${err && err.message ? err.message : String(err)}\n`);
  process.exit(1);
});
