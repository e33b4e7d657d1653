// Order matters: ES modules evaluate in import order, so secrets are masked before task-lib loads.
import './mask-secret-inputs.js';
import { runTask } from './main.js';

await runTask();
