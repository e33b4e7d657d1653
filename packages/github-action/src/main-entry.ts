import { runMain } from './main.js';

process.exitCode = await runMain(process.env, process.stdout);
