export { Agent, type TaskResult } from './agent/agent.js';
export { AGENT_CLIENT_CERT_HINT, AGENT_TRUST_HINT, agentTlsFiles } from './agent/certificates.js';
export { SECRET_INPUTS, stepSecrets } from './agent/secrets-first.js';
export { readTaskInputs, type TaskInputs } from './inputs.js';
export { runTask } from './main.js';
export { runPost } from './post.js';
export { downloadSecureFile, looksLikeMaterial, secureFileUrl } from './secure-files.js';
export { summaryMarkdown } from './summary.js';
