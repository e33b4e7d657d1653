#!/usr/bin/env node
// The repository's launcher for tests: runs the compiled ESM tree (dist/, from `tsc -b`) so tests
// need no bundle rebuild; the installed bin is bin/iamra.cjs (the bundle). Both run bin-entry:
// a warm credential-process is answered before the full CLI (and node:crypto) loads.
import '../dist/bin-entry.js';
