/** `iamra configure`: what it writes, what it keeps, and when it refuses (leaving the file untouched). */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readIniSection } from '@iamra/core';
import { runCli } from '../../../test/support/cli-run.js';
import { repoRoot } from '../../../test/support/peers.js';
import { leafFlags, makePki, testDir } from '../../../test/support/pki.js';
import { awsConfigFilePath, planProfile } from '../src/config/aws-config-file.js';
import { main } from '../src/index.js';

const TA = 'arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f';
const PROFILE = 'arn:aws:rolesanywhere:eu-west-1:111122223333:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const ROLE = 'arn:aws:iam::111122223333:role/deploy';
const CLI = join(repoRoot, 'packages', 'cli', 'bin', 'iamra.js');

const EXISTING = `# my settings, by hand
[default]
region = us-east-1
output = json

[profile other]   ; keep me
role_arn = arn:aws:iam::111122223333:role/other
source_profile = default
s3 =
  max_concurrent_requests = 20
`;

describe('iamra configure', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'configure' });
  const arns = ['--trust-anchor-arn', TA, '--profile-arn', PROFILE, '--role-arn', ROLE];

  function setup(text?: string) {
    const dir = testDir();
    const file = join(dir, 'aws', 'config');
    if (text !== undefined) {
      mkdirSync(join(dir, 'aws'));
      writeFileSync(file, text);
    }
    return { dir, file };
  }
  const configure = (file: string, extra: string[] = [], env: Record<string, string> = {}) =>
    runCli(
      main,
      [
        'configure',
        '--profile',
        'ci',
        '--config-file',
        file,
        '--cli',
        CLI,
        ...leafFlags(pki.ecLeaf, pki.intermediate),
        ...arns,
        ...extra,
      ],
      env,
    );

  it('adds the profile, keeping every other line byte for byte, in a 0600 file', async () => {
    const { file, dir } = setup(EXISTING);
    const result = await configure(file);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /^iamra: profile ci added in .*\niamra: try: aws sts get-caller-identity --profile ci\n$/,
    );
    const text = readFileSync(file, 'utf8');
    assert.ok(text.startsWith(`${EXISTING}\n[profile ci]\n`), text);
    const section = readIniSection(text, 'profile ci');
    assert.equal(section?.region, 'eu-west-1');
    assert.equal(
      section?.credential_process,
      [
        process.execPath,
        realpathSync(CLI),
        'credential-process',
        ...leafFlags(pki.ecLeaf, pki.intermediate),
        ...arns,
      ].join(' '),
    );
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(join(dir, 'aws')), ['config'], 'no temp file left');
  });

  it('with NODE_EXTRA_CA_CERTS set, starts Node < 24 through the launcher that defers those CAs to the request', async function () {
    if (process.platform === 'win32' || Number(process.versions.node.split('.')[0]) >= 24) this.skip();
    const { file } = setup(EXISTING);
    const env = { NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt' };
    assert.equal((await configure(file, [], env)).exitCode, 0);
    const line = readIniSection(readFileSync(file, 'utf8'), 'profile ci')?.credential_process ?? '';
    assert.match(
      line,
      new RegExp(`^/bin/sh -c '.*' ${process.execPath} ${realpathSync(CLI)} credential-process --certificate `),
    );
    const again = await configure(file, [], env);
    assert.match(again.stderr, /already up to date/, 'its own profile, recognised through the launcher');
    // A --node of unknown version is started as is.
    const other = setup(EXISTING);
    assert.equal((await configure(other.file, ['--node', process.execPath], env)).exitCode, 0);
    const plain = readIniSection(readFileSync(other.file, 'utf8'), 'profile ci')?.credential_process ?? '';
    assert.ok(plain.startsWith(`${process.execPath} `), plain);
  });

  it('a second identical run changes nothing; new flags update the profile in place', async () => {
    const { file } = setup(EXISTING);
    await configure(file);
    const once = readFileSync(file, 'utf8');
    const again = await configure(file);
    assert.equal(again.exitCode, 0);
    assert.match(again.stderr, /already up to date/);
    assert.equal(readFileSync(file, 'utf8'), once);
    const changed = await configure(file, ['--session-duration', '900']);
    assert.equal(changed.exitCode, 0, changed.stderr);
    assert.match(changed.stderr, /profile ci updated/);
    const text = readFileSync(file, 'utf8');
    assert.match(readIniSection(text, 'profile ci')?.credential_process ?? '', / --session-duration 900$/);
    assert.equal(text.split('[profile ci]').length, 2, 'one section, not two');
  });

  it('refuses to replace other credentials or another region without --force, leaving the file untouched', async () => {
    const foreign = `${EXISTING}\n[profile ci]\naws_access_key_id = AKIAOLD\naws_secret_access_key = very-secret\nregion = us-west-2\noutput = text\n`;
    const { file } = setup(foreign);
    const before = statSync(file);
    const refused = await configure(file);
    assert.equal(refused.exitCode, 2);
    assert.equal(
      refused.stderr,
      `iamra: PROFILE_CONFLICT: profile ci in ${file} already sets region, aws_access_key_id, aws_secret_access_key; nothing was changed (use --force to replace them, or another --profile)\n`,
    );
    assert.ok(!refused.stderr.includes('very-secret'));
    assert.equal(readFileSync(file, 'utf8'), foreign);
    assert.equal(statSync(file).mtimeMs, before.mtimeMs);

    const forced = await configure(file, ['--force']);
    assert.equal(forced.exitCode, 0, forced.stderr);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.startsWith(EXISTING), 'other profiles kept');
    const section = readIniSection(text, 'profile ci');
    assert.deepEqual(Object.keys(section ?? {}).sort(), ['credential_process', 'output', 'region']);
    assert.equal(section?.output, 'text', 'settings that are not credentials stay');
  });

  it('writes [default] for --profile default, and finds the file through AWS_CONFIG_FILE', async () => {
    const { dir } = setup();
    const file = join(dir, 'from-env', 'config');
    const result = await runCli(
      main,
      ['configure', '--profile', 'default', '--cli', CLI, ...leafFlags(pki.rsaLeaf, pki.intermediate), ...arns],
      { AWS_CONFIG_FILE: file },
    );
    assert.equal(result.exitCode, 0, result.stderr);
    assert.ok(readIniSection(readFileSync(file, 'utf8'), 'default')?.credential_process);
    assert.equal(awsConfigFilePath({ HOME: '/home/agent' }), '/home/agent/.aws/config');
    assert.equal(awsConfigFilePath({ HOME: '/home/agent', AWS_CONFIG_FILE: '~/cfg' }), '/home/agent/cfg');
  });

  it('--ca-bundle and --use-fips-endpoint go to the profile (for the AWS CLI) and to credential-process', async () => {
    const { dir } = setup();
    const file = join(dir, 'config');
    const bundle = join(dir, 'corporate-ca.pem');
    writeFileSync(bundle, pki.root.certPem);
    const result = await configure(file, ['--ca-bundle', relative(process.cwd(), bundle), '--use-fips-endpoint']);
    assert.equal(result.exitCode, 0, result.stderr);
    const section = readIniSection(readFileSync(file, 'utf8'), 'profile ci');
    assert.equal(section?.ca_bundle, bundle);
    assert.equal(section?.use_fips_endpoint, 'true');
    assert.match(section?.credential_process ?? '', new RegExp(` --ca-bundle ${bundle} --use-fips-endpoint$`));
  });

  it('makes relative paths absolute', async () => {
    const { dir } = setup();
    const file = join(dir, 'config');
    const rel = (path: string) => relative(process.cwd(), path);
    const result = await runCli(
      main,
      [
        'configure',
        '--config-file',
        file,
        '--cli',
        CLI,
        '--certificate',
        rel(pki.ecLeaf.certPath),
        '--private-key',
        rel(pki.ecLeaf.keyPath),
        ...arns,
      ],
      {},
    );
    assert.equal(result.exitCode, 0, result.stderr);
    const line = readIniSection(readFileSync(file, 'utf8'), 'default')?.credential_process ?? '';
    assert.ok(line.includes(` --certificate ${pki.ecLeaf.certPath} `), line);
  });

  it('refuses what the profile could not run, writing nothing', async () => {
    const { dir } = setup();
    const file = join(dir, 'config');
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--certificate', '-', '--private-key', pki.ecLeaf.keyPath], {}, /CONFIG_INVALID: --certificate - \(stdin\)/],
      [
        ['--private-key', pki.ecLeaf.keyPath],
        { IAMRA_CERTIFICATE: pki.ecLeaf.certPem },
        /CONFIG_INVALID: give --certificate FILE or --pkcs12 FILE/,
      ],
      [['--certificate', pki.ecLeaf.certPath, '--private-key', pki.rsaLeaf.keyPath], {}, /KEY_CERT_MISMATCH/],
      [['--certificate', pki.ecLeaf.certPath, '--private-key', join(dir, 'missing.key')], {}, /FILE_UNREADABLE/],
      [
        ['--certificate', pki.ecLeaf.certPath, '--private-key', pki.ecLeaf.keyPath, '--profile', 'a b'],
        {},
        /--profile 'a b'/,
      ],
    ];
    for (const [flags, env, expected] of cases) {
      const result = await runCli(main, ['configure', '--config-file', file, '--cli', CLI, ...flags, ...arns], env);
      assert.equal(result.exitCode, 2, flags.join(' '));
      assert.match(result.stderr, expected);
    }
    assert.deepEqual(readdirSync(dir), []);
  });

  it('plans: unchanged, added, updated, conflict', () => {
    const entries = { region: 'eu-west-1', credential_process: 'iamra credential-process --x' };
    const options = { force: false, ownPrefix: 'iamra credential-process ' };
    const ours = '[default]\nregion = eu-west-1\ncredential_process = iamra credential-process --x\n';
    assert.equal(planProfile('', 'default', entries, options).outcome, 'added');
    assert.equal(planProfile(ours, 'default', entries, options).outcome, 'unchanged');
    assert.equal(planProfile(ours.replace('--x', '--y'), 'default', entries, options).outcome, 'updated');
    assert.deepEqual(planProfile(ours.replace('iamra', 'aws_signing_helper'), 'default', entries, options), {
      outcome: 'conflict',
      keys: ['credential_process'],
    });
    assert.equal(planProfile('[default]\noutput = json\n', 'default', entries, options).outcome, 'updated');
    assert.deepEqual(planProfile('[default]\nsso_session = s\n', 'default', entries, options), {
      outcome: 'conflict',
      keys: ['sso_session'],
    });
  });
});
