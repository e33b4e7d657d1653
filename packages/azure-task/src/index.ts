export { Agent, type AgentIo, type TaskResult, variableKey } from './agent/agent.js';
export { readTaskInputs, SECRET_INPUTS, type TaskInputs } from './inputs.js';
export { runTask } from './main.js';
export { runPost } from './post.js';
export { downloadSecureFile, secureFileUrl } from './secure-files.js';
