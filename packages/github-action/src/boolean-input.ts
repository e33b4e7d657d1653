/** A true/false input, as configure-aws-credentials reads them (YAML 1.2 core schema spellings). */
import { IamraError } from '@iamra/core';
import type { Runner } from './runner/commands.js';

const BOOLEAN_TRUE = new Set(['true', 'True', 'TRUE']);
const BOOLEAN_FALSE = new Set(['false', 'False', 'FALSE']);

export function booleanInput<T extends boolean | undefined>(runner: Runner, name: string, fallback: T): boolean | T {
  const value = runner.input(name);
  if (value === '') return fallback;
  if (BOOLEAN_TRUE.has(value)) return true;
  if (BOOLEAN_FALSE.has(value)) return false;
  throw new IamraError('CONFIG_INVALID', `input ${name} must be true or false; got '${value}'`);
}
