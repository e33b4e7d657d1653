// Must stay the first import: masks the step's secrets before task-lib loads and echoes them.
import './agent/mask-first.js';
import { currentHost } from '@iamra/core';
import { Agent } from './agent/agent.js';
import { runTask } from './main.js';

// No top-level await: the agent runs this file directly, and MockTestRunner require()s it.
// The result travels in task.complete: the process exits 0 either way, as task-lib tasks do,
// so the agent adds no second error ("exit code 1") beside the task's own.
void runTask(new Agent(), currentHost());
