/**
 * How real AWS clients read a credential_process line out of a config file, without running it:
 * botocore's own config loader and splitter (the AWS CLI v2's), for any platform's rules
 * (`compat_shell_split(line, platform="win32")` runs anywhere), and the SDK v3's INI loader.
 */
import { execFileSync } from 'node:child_process';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { peers } from './peers.js';

export interface BotocoreRead {
  /** The value botocore's configparser read. */
  value: string;
  /** compat_shell_split(value, platform): the argv botocore passes to Popen. */
  argv: string[];
}

const SPLIT_SCRIPT = `
import json, sys
from botocore.compat import compat_shell_split
from botocore.configloader import raw_config_parse
reads = []
for job in json.load(sys.stdin):
    value = raw_config_parse(job["file"])[job["section"]]["credential_process"]
    reads.append({"value": value, "argv": compat_shell_split(value, platform=job["platform"])})
print(json.dumps(reads))
`;

/** One Python process for many reads (each job: a config file, its section, the platform's rules). */
export function botocoreReads(jobs: { file: string; section: string; platform: 'win32' | 'linux' }[]): BotocoreRead[] {
  const output = execFileSync(peers.python(), ['-c', SPLIT_SCRIPT], {
    input: JSON.stringify(jobs),
    encoding: 'utf8',
    env: { ...process.env, PYTHONUTF8: '1' },
    timeout: 60_000,
  });
  return JSON.parse(output) as BotocoreRead[];
}

/** The credential_process value the SDK v3's INI loader reads for `profile` (no process run). */
export async function sdkV3ReadsLine(configFile: string, profile: string): Promise<string | undefined> {
  const { configFile: profiles } = await loadSharedConfigFiles({
    configFilepath: configFile,
    filepath: `${configFile}.none`,
    ignoreCache: true,
  });
  return profiles[profile]?.credential_process;
}
