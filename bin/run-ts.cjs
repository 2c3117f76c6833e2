#!/usr/bin/env node
// Runs one TypeScript file (a benchmark, a script) through tsx's CommonJS loader.
'use strict';
require('tsx/cjs');
const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: run-ts <file.ts> [args...]\n');
  process.exit(2);
}
process.argv.splice(1, 1);
require(require('node:path').resolve(file));
