#!/usr/bin/env node
// Thin launcher so `npx iamra` works from the repository after `npm run build`.
import { main } from '../dist/index.js';
import { runBin } from '../dist/run-bin.js';

await runBin(main);
