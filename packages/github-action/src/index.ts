export { runMain } from './main.js';
export { runPost } from './post.js';
