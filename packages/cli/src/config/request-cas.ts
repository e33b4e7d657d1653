/**
 * CAs the CLI trusts itself, read only when it is about to make a request (a warm
 * credential_process reads none): NODE_EXTRA_CA_CERTS when a profile's launcher moved it to
 * IAMRA_EXTRA_CA_CERTS (Node before 24 parses it at every start otherwise; see core's
 * formats/launcher.ts), and AWS_CA_BUNDLE (or --ca-bundle, put there by the caller), which the AWS
 * CLI and SDKs honour. Both are trusted
 * in addition to Node's own CAs, as NODE_EXTRA_CA_CERTS is.
 */
import { readFileSync } from 'node:fs';
import { DEFERRED_CA_VARIABLE, readFileOrFail } from '@iamra/core';

/** PEM texts to trust beyond Node's store; `debug` hears why a moved file was skipped. */
export function requestCas(
  env: NodeJS.ProcessEnv,
  debug: (line: string) => void,
  read: (path: string) => Buffer = readFileSync,
): string[] {
  const cas: string[] = [];
  const moved = env[DEFERRED_CA_VARIABLE];
  if (moved) {
    try {
      cas.push(read(moved).toString('utf8'));
    } catch {
      // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS, and goes on without it.
      debug(`NODE_EXTRA_CA_CERTS ${moved} is unreadable; ignored, as Node would`);
    }
  }
  const bundle = env.AWS_CA_BUNDLE;
  if (bundle) cas.push(readFileOrFail(bundle, read, 'the CA bundle (AWS_CA_BUNDLE or --ca-bundle)').toString('utf8'));
  return cas;
}
