import { Agent } from './agent/agent.js';
import { runPost } from './post.js';

runPost(new Agent({ env: process.env, stdout: process.stdout }));
