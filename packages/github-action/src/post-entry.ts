import { currentHost } from '@iamra/core';
import { runPost } from './post.js';

process.exitCode = runPost(process.env, process.stdout, currentHost());
