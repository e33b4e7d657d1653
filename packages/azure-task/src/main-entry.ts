// Order matters: ES modules evaluate in import order, so secrets are masked before task-lib loads.
import './mask-secret-inputs.js';
import { runTask } from './main.js';

// No top-level await: the agent runs this file directly, and MockTestRunner require()s it.
void runTask();
