/** The command a credential_process profile runs to reach this very iamra. */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { IamraError } from '@iamra/core';

export interface SelfCommandInput {
  /** --node: the Node binary (default the one running now, e.g. an agent's externals/node24). */
  node: string | undefined;
  /** --cli: the iamra entry script (default the one running now). */
  cli: string | undefined;
}

/**
 * Absolute paths, so the profile works from any directory and PATH: the AWS CLI runs the
 * command without a shell, the JS SDK through /bin/sh, and neither has our PATH on an agent.
 */
export function selfCommand(input: SelfCommandInput, running: { execPath: string; script: string | undefined }) {
  const script = input.cli ?? running.script;
  if (script === undefined) {
    throw new IamraError('CONFIG_INVALID', 'cannot tell which iamra is running; give --cli PATH (the iamra bin)');
  }
  let cli: string;
  try {
    // npm links the bin (node_modules/.bin/iamra); the profile keeps the file the link points to.
    cli = realpathSync(resolve(script));
  } catch (error) {
    throw new IamraError('FILE_UNREADABLE', `--cli ${script} does not exist; give the path of the iamra bin`, {
      cause: error,
    });
  }
  return [resolve(input.node ?? running.execPath), cli];
}
