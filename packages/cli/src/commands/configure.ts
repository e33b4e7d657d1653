/**
 * `iamra configure`: writes (or updates) a credential_process profile that runs this iamra into
 * the user's AWS config, so the AWS CLI and SDKs get credentials with `--profile NAME`.
 */
import { promises as fs } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import {
  buildCommandLine,
  credentialProcessArgv,
  credentialProcessValue,
  IamraError,
  loadSigningMaterial,
} from '@iamra/core';
import { type FlagSpecs, first, type ParsedFlags, parseFlags, renderHelp } from '../args.js';
import { awsConfigFilePath, planProfile, profileSection } from '../config/aws-config-file.js';
import { CREDENTIAL_FLAGS } from '../config/flags.js';
import { loadHelperConfig } from '../config/load.js';
import { selfCommand } from '../config/self-command.js';
import type { CliIo } from '../io.js';
import { writePrivateFileAtomic } from './atomic-write.js';
import type { Command } from './command.js';

const OWN_FLAGS: FlagSpecs = {
  profile: { value: true, placeholder: 'NAME', description: 'profile to write (default "default")' },
  'config-file': {
    value: true,
    placeholder: 'FILE',
    description: 'AWS config file to edit (default AWS_CONFIG_FILE, else ~/.aws/config)',
  },
  force: { value: false, description: 'replace a profile that already holds other credentials or region' },
  node: { value: true, placeholder: 'FILE', description: 'Node binary the profile runs (default: this one)' },
  cli: { value: true, placeholder: 'FILE', description: 'iamra bin the profile runs (default: this one)' },
};

/** Every credential flag but --debug, which would print on each AWS call. */
const PASSED_FLAGS: FlagSpecs = Object.fromEntries(
  Object.entries(CREDENTIAL_FLAGS).filter(([name]) => name !== 'debug'),
);
const FLAGS: FlagSpecs = { ...PASSED_FLAGS, ...OWN_FLAGS };

/** Flags whose value is a path: made absolute, since the profile runs from any directory. */
const PATH_FLAGS = new Set([
  'certificate',
  'private-key',
  'intermediates',
  'pkcs12',
  'private-key-passphrase-file',
  'pkcs12-password-file',
  'proxy-file',
  'cache-dir',
  'ca-bundle',
]);

/** The credential-process arguments, in the order given, with absolute paths. */
export function credentialProcessArgs(flags: ParsedFlags, cwd: string): string[] {
  const args: string[] = [];
  for (const [name, values] of flags.values) {
    if (!(name in PASSED_FLAGS)) continue;
    for (const value of values) {
      if (value === '-')
        throw new IamraError('CONFIG_INVALID', `--${name} - (stdin) cannot be used by a profile; give a file`);
      if (/[\r\n]/.test(value))
        throw new IamraError('CONFIG_INVALID', `--${name} holds a line break; a profile cannot`);
      args.push(`--${name}`, PATH_FLAGS.has(name) && !isAbsolute(value) ? resolve(cwd, value) : value);
    }
  }
  for (const name of flags.switches) if (name in PASSED_FLAGS) args.push(`--${name}`);
  return args;
}

/** The environment the profile's process can count on: ours without the IAMRA_* inputs. */
function withoutIamraInputs(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('IAMRA_')));
}

/** Refuses now what every AWS call through the profile would refuse: files, ARNs, key and certificate. */
async function validate(flags: ParsedFlags, io: CliIo): Promise<string> {
  if (first(flags, 'certificate') === undefined && first(flags, 'pkcs12') === undefined) {
    throw new IamraError(
      'CONFIG_INVALID',
      'give --certificate FILE or --pkcs12 FILE: a profile reads files, not IAMRA_*',
    );
  }
  const config = await loadHelperConfig(flags, { ...io, env: withoutIamraInputs(io.env) });
  const { material } = await loadSigningMaterial(config.material, { now: new Date() });
  await material.signer.close();
  return config.params.region;
}

/**
 * The same trust and endpoint for the AWS CLI's and SDKs' own calls with this profile: the
 * process they start for credentials cannot tell which profile asked, so it gets the flags.
 */
function awsSettings(flags: ParsedFlags): Record<string, string> {
  const caBundle = first(flags, 'ca-bundle');
  return {
    ...(caBundle !== undefined ? { ca_bundle: resolve(caBundle) } : {}),
    ...(flags.switches.has('use-fips-endpoint') ? { use_fips_endpoint: 'true' } : {}),
  };
}

async function readIfExists(path: string): Promise<string> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new IamraError('FILE_UNREADABLE', `cannot read the AWS config file ${path}; check its permissions`, {
      cause: error,
    });
  }
}

export const configureCommand: Command = {
  name: 'configure',
  summary: 'write a credential_process profile that runs iamra into the AWS config file',
  help: () =>
    renderHelp(
      'iamra configure --profile NAME --certificate FILE --private-key FILE --trust-anchor-arn ARN --profile-arn ARN --role-arn ARN [options]',
      [
        'Adds [profile NAME] with region and credential_process = <node> <iamra> credential-process <your flags> to the',
        'AWS config file, atomically, keeping every other line, comment and profile. Paths become absolute; arguments',
        'are quoted so the AWS CLI, botocore and the SDKs split them back exactly. Checks the files, key and ARNs',
        'first. Refuses (changing nothing) to replace a profile holding other credentials or region without --force.',
        'Then: aws sts get-caller-identity --profile NAME',
      ].join('\n'),
      FLAGS,
    ),
  async run(argv, io) {
    const flags = parseFlags('configure', argv, FLAGS);
    const profile = first(flags, 'profile') ?? 'default';
    if (!/^[\w.+@-]{1,64}$/.test(profile)) {
      throw new IamraError(
        'CONFIG_INVALID',
        `--profile '${profile}' may only hold letters, digits and . + @ _ - (at most 64)`,
      );
    }
    const args = credentialProcessArgs(flags, process.cwd());
    const region = await validate(flags, io);
    const node = first(flags, 'node');
    const platform = io.platform ?? process.platform;
    // Through core's launcher when this Node would parse NODE_EXTRA_CA_CERTS on every call (a
    // --node of unknown version is started as is).
    const self = credentialProcessArgv(
      [
        ...selfCommand({ node, cli: first(flags, 'cli') }, { execPath: process.execPath, script: process.argv[1] }),
        'credential-process',
      ],
      { platform, env: io.env, nodeVersion: node === undefined ? process.versions.node : undefined },
    );
    const path = first(flags, 'config-file') ?? awsConfigFilePath(io.env, platform);
    const line = credentialProcessValue([...self, ...args], platform);
    const entries = { region, credential_process: line, ...awsSettings(flags) };
    const plan = planProfile(await readIfExists(path), profileSection(profile), entries, {
      force: flags.switches.has('force'),
      ownPrefix: `${buildCommandLine(self, platform)} `,
    });
    if (plan.outcome === 'conflict') {
      throw new IamraError(
        'PROFILE_CONFLICT',
        `profile ${profile} in ${path} already sets ${plan.keys.join(', ')}; nothing was changed (use --force to replace them, or another --profile)`,
      );
    }
    if (plan.outcome !== 'unchanged') await writePrivateFileAtomic(path, plan.text);
    io.stderr.write(
      `iamra: profile ${profile} ${plan.outcome === 'unchanged' ? 'already up to date' : plan.outcome} in ${path}\n`,
    );
    io.stderr.write(`iamra: try: aws sts get-caller-identity --profile ${profile}\n`);
    return 0;
  },
};
