#!/usr/bin/env node
// Runs one TypeScript file (a benchmark, a script) as the main module, through tsx's
// CommonJS loader, so `require.main === module` holds in it.
'use strict';
require('tsx/cjs');
const path = require('node:path');
const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: run-ts <file.ts> [args...]\n');
  process.exit(2);
}
process.argv.splice(1, 2, path.resolve(file));
require('node:module').runMain();
