#!/usr/bin/env node
// Thin launcher so `npx iamra` works from the repository after `npm run build`.
import { main } from '../dist/index.js';

process.exitCode = await main(process.argv.slice(2), process);
