import { Agent } from './agent/agent.js';
import { runTask } from './main.js';

// No top-level await: the agent runs this file directly, and MockTestRunner require()s it.
void runTask(new Agent({ env: process.env, stdout: process.stdout })).then((code) => {
  process.exitCode = code;
});
