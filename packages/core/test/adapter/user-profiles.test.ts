/** Profile mode keeps the user's own profiles: the job's config and credentials files (user-profiles.ts). */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  awsSharedFilePath,
  configProfileOf,
  iniSectionNames,
  partitionIniSections,
  readIniSection,
  resolveSessionParameters,
  writeProfileFiles,
} from '@iamra/core';
import { makePki, testDir } from '../../../../test/support/pki.js';

const USER_CONFIG = [
  '# my laptop config',
  '[default]',
  'region = ap-south-1',
  '',
  '[profile mine]',
  'region = ap-southeast-2',
  's3 =',
  '  max_concurrent_requests = 20',
  '',
  '[profile   "deploy"]',
  'role_arn = arn:aws:iam::999999999999:role/not-ours',
  'source_profile = mine',
  '',
  '[sso-session corp]',
  'sso_start_url = https://corp.awsapps.com/start',
  'sso_region = us-east-1',
  '',
  '[services local]',
  'sts =',
  '  endpoint_url = http://127.0.0.1:1',
  '',
].join('\n');

const USER_CREDENTIALS = [
  '[mine]',
  'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
  'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  '',
  '[audit]',
  'aws_access_key_id = AKIAI44QH8DHBEXAMPLE',
  'aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  '',
].join('\n');

describe('profile mode keeps the user profiles', () => {
  const pki = makePki({ subjectPrefix: 'user-profiles' });
  const params = resolveSessionParameters({
    trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
    profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
    roleArn: 'arn:aws:iam::123456789012:role/deploy',
  });

  /** A HOME with ~/.aws/config (and credentials, if given) and a job temp directory. */
  function job(files: { config?: string; credentials?: string } = {}) {
    const home = testDir();
    const tempDir = testDir();
    mkdirSync(join(home, '.aws'));
    if (files.config !== undefined) writeFileSync(join(home, '.aws', 'config'), files.config);
    if (files.credentials !== undefined) writeFileSync(join(home, '.aws', 'credentials'), files.credentials);
    return { home, tempDir };
  }

  const write = (tempDir: string, profileName: string, env: NodeJS.ProcessEnv) =>
    writeProfileFiles({
      tempDir,
      profileName,
      material: { certificate: pki.ecLeaf.certPem, privateKey: pki.ecLeaf.keyPem },
      params,
      nodePath: '/usr/bin/node',
      cliPath: '/opt/iamra/cli.js',
      env,
      keepUserProfiles: true,
    });

  it('finds the user files as the AWS CLI does: the variables (a leading ~ expanded), else ~/.aws', () => {
    assert.equal(awsSharedFilePath({ HOME: '/h' }, 'config'), '/h/.aws/config');
    assert.equal(awsSharedFilePath({ HOME: '/h' }, 'credentials'), '/h/.aws/credentials');
    assert.equal(awsSharedFilePath({ HOME: '/h', AWS_CONFIG_FILE: '~/cfg' }, 'config'), '/h/cfg');
    assert.equal(awsSharedFilePath({ USERPROFILE: '/u', AWS_SHARED_CREDENTIALS_FILE: '/c' }, 'credentials'), '/c');
    assert.equal(awsSharedFilePath({ USERPROFILE: '/u' }, 'config'), '/u/.aws/config');
  });

  it('names the profile of a config section as botocore and the SDK v3 do', () => {
    assert.equal(configProfileOf('default'), 'default');
    assert.equal(configProfileOf('profile default'), 'default');
    assert.equal(configProfileOf('profile   x'), 'x');
    assert.equal(configProfileOf('profile "x"'), 'x');
    assert.equal(configProfileOf("profile 'x'"), 'x');
    assert.equal(configProfileOf('sso-session x'), undefined);
    assert.equal(configProfileOf('services x'), undefined);
    assert.equal(configProfileOf('profile'), undefined);
  });

  it('splits an INI text section by section, every line as written', () => {
    const { kept, dropped } = partitionIniSections(USER_CONFIG, (name) => !name.startsWith('profile'));
    assert.deepEqual(iniSectionNames(kept), ['default', 'sso-session corp', 'services local']);
    assert.deepEqual(iniSectionNames(dropped), ['profile mine', 'profile   "deploy"']);
    assert.match(kept, /^# my laptop config\n\[default\]/);
    assert.match(kept, /\nsts =\n {2}endpoint_url = http:\/\/127\.0\.0\.1:1\n/);
    assert.match(dropped, /\ns3 =\n {2}max_concurrent_requests = 20\n/);
    assert.deepEqual(
      partitionIniSections('', () => true),
      { kept: '', dropped: '' },
    );
    assert.deepEqual(
      partitionIniSections('; only a comment\n', () => false),
      { kept: '; only a comment\n', dropped: '' },
    );
  });

  it("carries ~/.aws/config into the job's config; ours replaces the user's section of the same name", () => {
    const { home, tempDir } = job({ config: USER_CONFIG });
    const files = write(tempDir, 'deploy', { HOME: home });
    const text = readFileSync(files.configFile, 'utf8');
    assert.deepEqual(iniSectionNames(text), [
      'default',
      'profile mine',
      'sso-session corp',
      'services local',
      'profile deploy',
    ]);
    assert.ok(
      text.startsWith(
        USER_CONFIG.replace(
          '[profile   "deploy"]\nrole_arn = arn:aws:iam::999999999999:role/not-ours\nsource_profile = mine\n\n',
          '',
        ),
      ),
    );
    const ours = readIniSection(text, 'profile deploy');
    assert.deepEqual(Object.keys(ours ?? {}), ['region', 'credential_process']);
    assert.deepEqual(files.userConfig, {
      text: files.userConfig?.text,
      source: join(home, '.aws', 'config'),
      replaced: ['deploy'],
    });
    assert.equal(files.credentials, undefined, 'no credentials file: nothing to copy');
    assert.equal(readFileSync(join(home, '.aws', 'config'), 'utf8'), USER_CONFIG, 'the user file is only read');
    assert.equal(statSync(files.configFile).mode & 0o777, 0o600);
  });

  it('reads the file AWS_CONFIG_FILE names instead of ~/.aws/config', () => {
    const { home, tempDir } = job({ config: '[profile from-home]\n' });
    const elsewhere = join(testDir(), 'team-config');
    writeFileSync(elsewhere, '[profile from-variable]\nregion = eu-north-1\n');
    const files = write(tempDir, 'ci', { HOME: home, AWS_CONFIG_FILE: elsewhere });
    assert.deepEqual(iniSectionNames(readFileSync(files.configFile, 'utf8')), ['profile from-variable', 'profile ci']);
    assert.equal(files.userConfig?.source, elsewhere);
  });

  it("a later step adds to the job's config when AWS_CONFIG_FILE already names it; our default replaces both forms", () => {
    const { home, tempDir } = job({ config: `${USER_CONFIG}[profile default]\nregion = x\n` });
    const first = write(tempDir, 'deploy', { HOME: home });
    const second = write(tempDir, 'default', { HOME: home, AWS_CONFIG_FILE: first.configFile });
    const text = readFileSync(second.configFile, 'utf8');
    assert.deepEqual(iniSectionNames(text), [
      'profile mine',
      'sso-session corp',
      'services local',
      'profile deploy',
      'default',
    ]);
    assert.equal(second.userConfig?.source, first.configFile);
    assert.deepEqual(second.userConfig?.replaced, ['default']);
    // A third step while AWS_CONFIG_FILE names the user's file again: the job's profiles stay.
    const third = write(tempDir, 'audit', { HOME: home });
    assert.deepEqual(iniSectionNames(readFileSync(third.configFile, 'utf8')), [
      'profile mine',
      'sso-session corp',
      'services local',
      'profile deploy',
      'default',
      'profile audit',
    ]);
  });

  it('copies the credentials file only when it holds one of our names, without that section', () => {
    const { home, tempDir } = job({ credentials: USER_CREDENTIALS });
    assert.equal(write(tempDir, 'deploy', { HOME: home }).credentials, undefined);
    const files = write(tempDir, 'audit', { HOME: home });
    const copy = readFileSync(files.credentials?.file ?? '', 'utf8');
    assert.deepEqual(iniSectionNames(copy), ['mine']);
    assert.deepEqual(files.credentials?.replaced, ['audit']);
    assert.equal(statSync(files.credentials?.file ?? '').mode & 0o777, 0o600);
    assert.equal(readFileSync(join(home, '.aws', 'credentials'), 'utf8'), USER_CREDENTIALS);
    // Once exported, later steps keep using (and trimming) the job's copy.
    const later = write(tempDir, 'mine', { HOME: home, AWS_SHARED_CREDENTIALS_FILE: files.credentials?.file });
    assert.deepEqual(iniSectionNames(readFileSync(later.credentials?.file ?? '', 'utf8')), []);
  });

  it('a user file that cannot be read is one error naming it; a missing one is empty', () => {
    const { home, tempDir } = job();
    assert.deepEqual(iniSectionNames(readFileSync(write(tempDir, 'a', { HOME: home }).configFile, 'utf8')), [
      'profile a',
    ]);
    mkdirSync(join(home, '.aws', 'config'));
    assert.throws(() => write(tempDir, 'b', { HOME: home }), {
      code: 'FILE_UNREADABLE',
      message: /AWS config file .*\.aws\/config: it is a directory/,
    });
  });
});
