/**
 * Role chaining inputs, shared by the front ends (each passes its own input names): the role
 * ARN input has one line per hop, in order. A per-hop input given once applies to the last hop
 * (the one exported); given once per hop, line N is hop N. Session policies and session tags
 * shape the final session, so they apply to the last hop (transitive tag keys carry its tags
 * into whatever later steps assume with it). The account guard is checked against the last role.
 */

import { parseSessionTag, type RoleHopInput, type SessionTag } from '../chain/hop.js';
import { IamraError } from '../errors.js';

export interface ChainInputs {
  assumeRoles: RoleHopInput[];
  stsEndpoint: string | undefined;
}

/** The front end's name for each chaining input (used in its error messages). */
export interface ChainInputNames {
  roleArn: string;
  externalId: string;
  sessionName: string;
  durationSeconds: string;
  inlineSessionPolicy: string;
  managedSessionPolicies: string;
  /** Session tags: one `Key=Value` per line, or a JSON object (configure-aws-credentials' custom-tags). */
  tags: string;
  /** Tag keys made transitive: comma- or newline-separated. */
  transitiveTagKeys: string;
  stsEndpoint: string;
}

/** An input's text; empty when not given. */
export type ChainInputReader = (name: string) => string;

function lines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

function perHop(read: ChainInputReader, name: string, names: ChainInputNames, hops: number): (string | undefined)[] {
  const values = lines(read(name));
  if (values.length === 0) return Array(hops).fill(undefined);
  if (values.length === hops) return values;
  if (values.length === 1) return [...Array(hops - 1).fill(undefined), values[0]];
  throw new IamraError(
    'CONFIG_INVALID',
    `input ${name} has ${values.length} lines for ${hops} ${names.roleArn} lines; give one line, or one per role`,
  );
}

function duration(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new IamraError('CONFIG_INVALID', `input ${name} must be whole seconds; got '${text}'`);
  return Number(text);
}

/** A tag input as lines of `Key=Value` (the first `=` splits), or as a JSON object of strings. */
export function parseSessionTagsInput(text: string, name: string): SessionTag[] {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) {
    return lines(trimmed).map((line) => {
      if (line.indexOf('=') <= 0) {
        throw new IamraError('CONFIG_INVALID', `input ${name}: each line must be Key=Value (one tag per line)`);
      }
      return parseSessionTag(line);
    });
  }
  // Starting with '{', it parses to an object or not at all.
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(trimmed) as Record<string, unknown>;
  } catch {
    throw new IamraError(
      'CONFIG_INVALID',
      `input ${name} starts with '{' but is not a JSON object; or give Key=Value lines`,
    );
  }
  return Object.entries(parsed).map(([key, value]) => {
    if (typeof value !== 'string') {
      throw new IamraError('CONFIG_INVALID', `input ${name}: the value of a tag must be a string (JSON "...")`);
    }
    return { key, value };
  });
}

export function readChainInputs(read: ChainInputReader, names: ChainInputNames): ChainInputs {
  const arns = lines(read(names.roleArn));
  const externalIds = perHop(read, names.externalId, names, arns.length);
  const sessionNames = perHop(read, names.sessionName, names, arns.length);
  const durations = perHop(read, names.durationSeconds, names, arns.length);
  const policy = read(names.inlineSessionPolicy).trim();
  const managed = read(names.managedSessionPolicies)
    .split(/[\s,]+/)
    .filter(Boolean);
  const tags = parseSessionTagsInput(read(names.tags), names.tags);
  const transitiveTagKeys = read(names.transitiveTagKeys)
    .split(/[\n,]+/)
    .map((key) => key.trim())
    .filter(Boolean);
  if (arns.length === 0 && (policy || managed.length)) {
    throw new IamraError(
      'CONFIG_INVALID',
      `${names.inlineSessionPolicy} and ${names.managedSessionPolicies} need ${names.roleArn}`,
    );
  }
  if (arns.length === 0 && (tags.length || transitiveTagKeys.length)) {
    // CreateSession takes no tags: Roles Anywhere tags the session from the certificate.
    throw new IamraError(
      'CONFIG_INVALID',
      `${names.tags} and ${names.transitiveTagKeys} need ${names.roleArn} (Roles Anywhere tags its own session from the certificate)`,
    );
  }
  const assumeRoles = arns.map((roleArn, i): RoleHopInput => {
    const last = i === arns.length - 1;
    const seconds = duration(durations[i], names.durationSeconds);
    return {
      roleArn,
      ...(externalIds[i] ? { externalId: externalIds[i] } : {}),
      ...(sessionNames[i] ? { roleSessionName: sessionNames[i] } : {}),
      ...(seconds !== undefined ? { durationSeconds: seconds } : {}),
      ...(last && policy ? { policy } : {}),
      ...(last && managed.length ? { policyArns: managed } : {}),
      ...(last && tags.length ? { tags } : {}),
      ...(last && transitiveTagKeys.length ? { transitiveTagKeys } : {}),
    };
  });
  return { assumeRoles, stsEndpoint: read(names.stsEndpoint).trim() || undefined };
}
