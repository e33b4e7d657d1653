/** The Action's names for core's role chaining inputs (allowed-account-ids is read in inputs.ts). */
import { type ChainInputNames, type ChainInputs, readChainInputs as readChain } from '@iamra/core';
import type { Runner } from './runner/commands.js';

export type { ChainInputs };

const ACTION_CHAIN_INPUTS: ChainInputNames = {
  roleArn: 'assume-role-arn',
  externalId: 'assume-role-external-id',
  sessionName: 'assume-role-session-name',
  durationSeconds: 'assume-role-duration-seconds',
  inlineSessionPolicy: 'inline-session-policy',
  managedSessionPolicies: 'managed-session-policies',
  tags: 'assume-role-tags',
  transitiveTagKeys: 'assume-role-transitive-tag-keys',
  stsEndpoint: 'sts-endpoint',
};

export function readChainInputs(runner: Runner): ChainInputs {
  return readChain((name) => runner.input(name), ACTION_CHAIN_INPUTS);
}
