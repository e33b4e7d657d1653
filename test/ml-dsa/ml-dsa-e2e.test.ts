/**
 * ML-DSA keys end to end: the CLI under Node 24 signs AWS4-X509-MLDSA CreateSession requests that
 * the emulator, also under Node 24, accepts for ML-DSA-44/65/87 (under ML-DSA and EC CAs); a
 * tampered signature is refused; under Node 20 the CLI refuses ML-DSA in one line (exit 2).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startCapture } from '../go-helper/support.js';
import { newAgentJob, runTaskStep } from '../support/azure-agent.js';
import { type EmulatorInfo, emulatorFlags, startEmulatorProcess } from '../support/emulator-process.js';
import { newJob, runActionStep } from '../support/github-runner.js';
import {
  ENCRYPTED_KEY_PASSPHRASE,
  IAMRA_BIN,
  isoOfAmzDate,
  type MlDsaFiles,
  mlDsaPkiFiles,
  replayUnderNode24,
  runIamra,
  verifiesUnderNode24,
  withTamperedSignature,
} from '../support/ml-dsa.js';
import type { RecordedRequest } from '../support/ml-dsa-replay.js';
import { peers } from '../support/peers.js';
import { testDir } from '../support/pki.js';

/** FIPS 204 signature sizes in bytes. */
const SIGNATURE_BYTES: Record<string, number> = { 'ML-DSA-44': 2420, 'ML-DSA-65': 3309, 'ML-DSA-87': 4627 };

function assertCredentials(stdout: string): void {
  const output = JSON.parse(stdout) as Record<string, unknown>;
  assert.equal(output.Version, 1);
  assert.match(String(output.AccessKeyId), /^ASIA[A-Z2-7]{16}$/);
  assert.ok(Date.parse(String(output.Expiration)) > Date.now());
}

describe('ML-DSA keys (Node 24) against the emulator (Node 24)', function () {
  this.timeout(240_000);
  let cases: MlDsaFiles[];
  let emulator: { info: EmulatorInfo; stderr: () => string; stop(): Promise<void> };
  const anchorFlags = (index: number) => {
    const flags = emulatorFlags(emulator.info);
    flags[1] = emulator.info.trustAnchorArns[index] ?? '';
    return flags;
  };
  const leafFlags = (c: MlDsaFiles) => ['--certificate', c.leafPath, '--private-key', c.keyPath];

  before(async () => {
    cases = mlDsaPkiFiles(testDir());
    emulator = await startEmulatorProcess([...cases.flatMap((c) => ['--ca', c.caPath]), '--lifetime-seconds', '230'], {
      command: peers.node24(),
      args: [IAMRA_BIN],
    });
  });
  after(() => emulator?.stop());

  /** credential-process under Node 24 for case `index`, against its own trust anchor. */
  async function credentialsFor(index: number): Promise<void> {
    const c = cases[index] as MlDsaFiles;
    const run = await runIamra(peers.node24(), [
      'credential-process',
      ...leafFlags(c),
      ...anchorFlags(index),
      '--no-cache',
    ]);
    assert.equal(run.code, 0, `${c.name}: ${run.stderr}`);
    assert.equal(run.stderr, '', 'no warning, no error');
    assertCredentials(run.stdout);
  }

  for (const [index, set] of ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'].entries()) {
    it(`${set}: credential-process signs AWS4-X509-MLDSA and the emulator issues credentials`, () =>
      credentialsFor(index));
  }

  it('an ML-DSA-65 leaf under an EC P-256 CA, and an EC leaf under an ML-DSA-65 CA, are both accepted', async () => {
    for (const index of [3, 4]) {
      await credentialsFor(index);
    }
  });

  it('an encrypted ML-DSA key with its passphrase signs too', async () => {
    const c = cases[1] as MlDsaFiles;
    const run = await runIamra(
      peers.node24(),
      [
        'credential-process',
        '--certificate',
        c.leafPath,
        '--private-key',
        c.encryptedKeyPath,
        ...anchorFlags(1),
        '--no-cache',
      ],
      { IAMRA_PRIVATE_KEY_PASSPHRASE: ENCRYPTED_KEY_PASSPHRASE },
    );
    assert.equal(run.code, 0, run.stderr);
    assertCredentials(run.stdout);
  });

  it('the Action (committed dist/, node24) signs with an ML-DSA key given as PEM, masked line by line first', async () => {
    const c = cases[1] as MlDsaFiles;
    const keyPem = readFileSync(c.keyPath, 'utf8');
    const job = newJob();
    const main = await runActionStep(peers.node24(), 'main', job, {
      'trust-anchor-arn': emulator.info.trustAnchorArns[1] ?? '',
      'profile-arn': emulator.info.profileArn,
      'role-arn': emulator.info.roleArns[0] ?? '',
      'rolesanywhere-endpoint': emulator.info.endpoint,
      certificate: c.leafPem,
      'private-key': keyPem,
    });
    assert.equal(main.exitCode, 0, main.stdout);
    assert.match(main.env.AWS_ACCESS_KEY_ID ?? '', /^ASIA/);
    const lines = main.stdout.split(/\r?\n/).filter(Boolean);
    const firstOther = lines.findIndex((line) => !line.startsWith('::add-mask::'));
    const masked = new Set(lines.slice(0, firstOther).map((line) => line.slice('::add-mask::'.length)));
    const keyLines = keyPem.split('\n').filter(Boolean);
    for (const line of keyLines) assert.ok(masked.has(line.trim()), 'every key line masked');
    const leaked = lines.filter(
      (line) => !line.startsWith('::add-mask::') && keyLines.some((key) => line.includes(key)),
    );
    assert.deepEqual(leaked, [], 'no key line printed but in a mask command');
  });

  it('the Azure task (built) signs with an ML-DSA key under its Node 24 handler, and fails in one line under Node 20', async () => {
    const c = cases[2] as MlDsaFiles;
    const inputs = {
      certificateFile: c.leafPath,
      privateKeyFile: c.keyPath,
      trustAnchorArn: emulator.info.trustAnchorArns[2] ?? '',
      profileArn: emulator.info.profileArn,
      roleArn: emulator.info.roleArns[0] ?? '',
      endpoint: emulator.info.endpoint,
    };
    const node24 = await runTaskStep(peers.node24(), 'main', newAgentJob(), inputs);
    assert.equal(node24.result?.status, 'Succeeded', node24.stdout);
    assert.match(node24.variables.AssumedRoleArn?.value ?? '', /assumed-role\/iamra-demo\//);
    const node20 = await runTaskStep(peers.node20(), 'main', newAgentJob(), inputs);
    assert.equal(node20.result?.status, 'Failed', node20.stdout);
    assert.match(
      node20.result?.message ?? '',
      /KEY_UNSUPPORTED: .*ML-DSA keys need Node 24 or later \(this is Node 20\./,
    );
  });

  it("read-certificate-data prints aws_signing_helper v1.8.0's object for an ML-DSA certificate", async () => {
    const c = cases[0] as MlDsaFiles;
    const run = await runIamra(peers.node24(), ['read-certificate-data', '--certificate', c.leafPath]);
    assert.equal(run.code, 0, run.stderr);
    const data = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(data), ['keyType', 'certificateData', 'serialNumber', 'supportedAlgorithms']);
    assert.equal(data.keyType, 'ML-DSA-44');
    assert.deepEqual(data.supportedAlgorithms, ['ML-DSA-44']);
  });

  it('doctor finds the path for every ML-DSA chain (ML-DSA leaves, an ML-DSA CA over an EC leaf)', async () => {
    for (const c of cases) {
      const run = await runIamra(peers.node24(), [
        'doctor',
        '--certificate',
        c.leafPath,
        '--trust-anchor-ca',
        c.caPath,
      ]);
      assert.equal(run.code, 0, `${c.name}: ${run.stderr}`);
      assert.match(run.stdout, /^chain: trusted by the trust anchor$/m, c.name);
    }
  });

  it("sign-string signs v1.8.0's fixed test string (no key suffix for ML-DSA), verifying", async () => {
    const c = cases[0] as MlDsaFiles;
    const fixed = await runIamra(peers.node24(), ['sign-string', '--private-key', c.keyPath, '--format', 'text']);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.equal(fixed.stdout.length, 2 * (SIGNATURE_BYTES['ML-DSA-44'] ?? 0));
    const message = Buffer.from('AWS Roles Anywhere Credential Helper Signing Test1');
    assert.ok(verifiesUnderNode24(c.leafPem, message, fixed.stdout), 'the fixed string');
    assert.ok(
      !verifiesUnderNode24(c.leafPem, Buffer.from('AWS Roles Anywhere Credential Helper Signing Test2'), fixed.stdout),
    );
  });

  it('the request is what v1.8.0 sends (hex of a raw FIPS 204 signature); a tampered signature is refused', async () => {
    const c = cases[2] as MlDsaFiles; // ML-DSA-87: the largest headers (~20 KB), past Node's 16 KiB default
    const { trustAnchorArns, profileArn, roleArn } = replayUnderNode24({
      caPems: [c.caPem],
      now: new Date().toISOString(),
      requests: [],
    });
    const capture = await startCapture();
    let recorded: RecordedRequest;
    try {
      const arns = ['--trust-anchor-arn', trustAnchorArns[0] ?? '', '--profile-arn', profileArn, '--role-arn', roleArn];
      const run = await runIamra(peers.node24(), [
        'credential-process',
        ...leafFlags(c),
        ...arns,
        '--endpoint',
        capture.endpoint,
        '--no-cache',
      ]);
      assert.equal(run.code, 0, run.stderr);
      const [request] = capture.requests;
      assert.ok(request);
      recorded = {
        method: request.method,
        path: request.path,
        rawQuery: request.rawQuery,
        headers: Object.fromEntries(
          Object.entries(request.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
        ),
        body: request.body.toString('utf8'),
      };
    } finally {
      await capture.stop();
    }
    const signature =
      /^AWS4-X509-MLDSA Credential=\d+\/\d{8}\/us-east-1\/rolesanywhere\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=([0-9a-f]+)$/.exec(
        recorded.headers.authorization ?? '',
      )?.[1];
    assert.equal(signature?.length, 2 * (SIGNATURE_BYTES['ML-DSA-87'] ?? 0));
    const now = isoOfAmzDate(recorded.headers['x-amz-date'] ?? '');
    const tamperedBody = { ...recorded, body: recorded.body.replace('3600', '3601') };
    const { answers } = replayUnderNode24({
      caPems: [c.caPem],
      now,
      requests: [recorded, withTamperedSignature(recorded), tamperedBody],
    });
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [201, 403, 403],
    );
    assert.match(answers[1]?.body ?? '', /Invalid signature/);
  });
});

describe('ML-DSA keys under Node 20', function () {
  this.timeout(120_000);
  let cases: MlDsaFiles[];
  const arns = [
    '--trust-anchor-arn',
    'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/0b7e6a4c-1d2f-4e3a-9c8b-5a6d7e8f9a0b',
    '--profile-arn',
    'arn:aws:rolesanywhere:us-east-1:123456789012:profile/1c8f7b5d-2e3a-4f4b-8d9c-6b7e8f9a0b1c',
    '--role-arn',
    'arn:aws:iam::123456789012:role/r',
    '--endpoint',
    'http://127.0.0.1:9',
  ];
  const ONE_LINE =
    /^iamra: KEY_UNSUPPORTED: (certificate "CN=ml-dsa-\d\d workload"|the private key) is ML-DSA, and ML-DSA keys need Node 24 or later \(this is Node 20\.\d+\.\d+, whose OpenSSL cannot sign with them\); run iamra with Node 24, or use an RSA or EC key\n$/;

  before(() => {
    cases = mlDsaPkiFiles(testDir());
  });

  it('credential-process refuses in one line, exit 2, for a plain and an encrypted ML-DSA key', async () => {
    const c = cases[0] as MlDsaFiles;
    const plain = await runIamra(peers.node20(), [
      'credential-process',
      '--certificate',
      c.leafPath,
      '--private-key',
      c.keyPath,
      ...arns,
      '--no-cache',
    ]);
    const encrypted = await runIamra(
      peers.node20(),
      ['credential-process', '--certificate', c.leafPath, '--private-key', c.encryptedKeyPath, ...arns, '--no-cache'],
      { IAMRA_PRIVATE_KEY_PASSPHRASE: ENCRYPTED_KEY_PASSPHRASE },
    );
    for (const run of [plain, encrypted]) {
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, ONE_LINE);
    }
  });

  it('read-certificate-data, sign-string and doctor (an ML-DSA CA) refuse the same way', async () => {
    const c = cases[1] as MlDsaFiles;
    const read = await runIamra(peers.node20(), ['read-certificate-data', '--certificate', c.leafPath]);
    const sign = await runIamra(peers.node20(), ['sign-string', '--private-key', c.keyPath]);
    const underMlDsa = cases[4] as MlDsaFiles;
    const doctor = await runIamra(peers.node20(), [
      'doctor',
      '--certificate',
      underMlDsa.leafPath,
      '--trust-anchor-ca',
      underMlDsa.caPath,
    ]);
    assert.match(doctor.stdout, /^chain: not checked \(an ML-DSA signature, which this Node cannot verify\)$/m);
    assert.equal(doctor.code, 2, doctor.stderr);
    assert.match(
      doctor.stderr,
      /^iamra: KEY_UNSUPPORTED: certificate "CN=ml-dsa-65 test CA" is ML-DSA, and ML-DSA keys need Node 24 or later/,
    );
    for (const run of [read, sign]) {
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, ONE_LINE);
    }
  });

  it('an EC leaf whose CA is ML-DSA still signs: the CA is sent, only not checked locally', async () => {
    const c = cases[4] as MlDsaFiles;
    const capture = await startCapture();
    try {
      const run = await runIamra(peers.node20(), [
        'credential-process',
        '--certificate',
        c.leafPath,
        '--private-key',
        c.keyPath,
        '--intermediates',
        c.caPath,
        ...arns.slice(0, 6),
        '--endpoint',
        capture.endpoint,
        '--no-cache',
      ]);
      assert.equal(run.code, 0, run.stderr);
      const chain = capture.requests[0]?.headers['x-amz-x509-chain'];
      assert.equal(chain, Buffer.from(c.caPem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64').toString('base64'));
    } finally {
      await capture.stop();
    }
  });
});
