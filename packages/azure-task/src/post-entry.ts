import './agent/mask-first.js';
import { Agent } from './agent/agent.js';
import { runPost } from './post.js';

runPost(new Agent());
