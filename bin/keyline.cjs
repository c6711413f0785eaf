#!/usr/bin/env node
'use strict';
// Runs the built CLI; builds it first when running from a source checkout.
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'dist', 'cli', 'keyline.cjs');
if (!fs.existsSync(entry)) {
  process.stderr.write('keyline: not built yet; run "npm run build" first\n');
  process.exit(1);
}
require(entry);
