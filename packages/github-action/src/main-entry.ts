import { currentHost } from '@iamra/core';
import { runMain } from './main.js';

process.exitCode = await runMain(process.env, process.stdout, { host: currentHost() });
