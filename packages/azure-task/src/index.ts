export { readTaskInputs, type TaskInputs } from './inputs.js';
export { runTask } from './main.js';
export { runPost } from './post.js';
export { downloadSecureFile, secureFileUrl } from './secure-files.js';
