/** Key material loaded from a path or base64 is masked, line by line, before anything else prints. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { convertKey, makePkcs12, makePki, testDir } from '../../../test/support/pki.js';
import { loadedSecrets } from '../src/loaded-secrets.js';
import { runMain } from '../src/main.js';

const FILES = ['GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', 'GITHUB_PATH'];

function keyLines(pem: string): string[] {
  return pem
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** The key of a PKCS#12 file as OpenSSL prints it: `pkcs12 -nodes` (PKCS#8), then `pkey -traditional`. */
function opensslKeyLines(path: string, password: string, traditional: boolean): string[] {
  const openssl = (args: string[], input: string) =>
    execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'ignore'] }).toString();
  const pkcs8 = openssl(['pkcs12', '-in', path, '-nodes', '-nocerts', '-passin', 'stdin'], `${password}\n`);
  const text = traditional ? openssl(['pkey', '-traditional'], pkcs8) : pkcs8;
  const blocks = text.match(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g) ?? [];
  assert.equal(blocks.length, 1, 'openssl printed one key');
  return keyLines(blocks[0] ?? '');
}

/** The add-mask values the step printed before anything else, and the whole of its stdout. */
async function masksBeforeOutput(env: NodeJS.ProcessEnv): Promise<{ masked: Set<string>; stdout: string }> {
  let stdout = '';
  const code = await runMain(env, { write: (text: string) => (stdout += text) });
  assert.equal(code, 0, stdout);
  const lines = stdout.split(/\r?\n/).filter(Boolean);
  const firstOther = lines.findIndex((line) => !line.startsWith('::add-mask::'));
  assert.ok(firstOther > 0, 'the step printed something besides masks');
  return { masked: new Set(lines.slice(0, firstOther).map((line) => line.slice('::add-mask::'.length))), stdout };
}

describe('action masks loaded key material', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'loaded' });
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem] });
  });
  after(() => emulator.stop());

  /** A step's environment: the runner's files in a fresh directory, the emulator's ARNs, and `inputs`. */
  function stepEnv(inputs: Record<string, string>): { env: NodeJS.ProcessEnv; dir: string } {
    const dir = testDir();
    const env: NodeJS.ProcessEnv = { PATH: '/usr/bin', RUNNER_TEMP: dir };
    for (const name of FILES) {
      env[name] = join(dir, name);
      writeFileSync(join(dir, name), '');
    }
    const all = {
      'trust-anchor-arn': emulator.trustAnchorArns[0] ?? '',
      'profile-arn': emulator.profileArn,
      'role-arn': emulator.roleArns[0] ?? '',
      'rolesanywhere-endpoint': emulator.endpoint,
      ...inputs,
    };
    for (const [name, value] of Object.entries(all)) env[`INPUT_${name.toUpperCase()}`] = value;
    return { env, dir };
  }

  it('masks every line of a key given by path before any other output, and puts the CLI on PATH', async () => {
    const { env, dir } = stepEnv({
      certificate: pki.rsaLeaf.certPath,
      'private-key': pki.rsaLeaf.keyPath,
      'certificate-chain': pki.intermediate.certPath,
    });
    const { masked } = await masksBeforeOutput(env);
    for (const line of keyLines(readFileSync(pki.rsaLeaf.keyPath, 'utf8'))) {
      assert.ok(masked.has(line), `key line masked before other output: ${line.slice(0, 12)}…`);
    }

    const added = readFileSync(join(dir, 'GITHUB_PATH'), 'utf8').split(/\r?\n/).filter(Boolean);
    assert.equal(added.length, 1);
    assert.match(added[0] ?? '', /[/\\]cli$/);
    assert.equal(env.PATH, `${added[0]}${delimiter}/usr/bin`, 'this step sees it too');
  });

  for (const [leafName, given] of [
    ['RSA', 'path'],
    ['EC', 'base64'],
  ] as const) {
    it(`masks the ${leafName} key inside a PKCS#12 given as ${given}, as OpenSSL decodes it, before any other output`, async () => {
      const leaf = leafName === 'RSA' ? pki.rsaLeaf : pki.ecLeaf;
      const password = 'p12 password';
      const p12 = makePkcs12(leaf, { password, extraCerts: [pki.intermediate] });
      const path = join(testDir(), 'bundle.p12');
      writeFileSync(path, p12);
      const { env } = stepEnv({
        pkcs12: given === 'path' ? path : p12.toString('base64'),
        'pkcs12-password': password,
      });
      const { masked } = await masksBeforeOutput(env);
      for (const traditional of [false, true]) {
        for (const line of opensslKeyLines(path, password, traditional)) {
          assert.ok(
            masked.has(line),
            `decoded key line masked first (traditional ${traditional}): ${line.slice(0, 16)}…`,
          );
        }
      }
    });
  }

  it('covers a DER key (its PEM once decoded), a key inside a certificate bundle, and a PKCS#12 file', () => {
    const leaf = pki.ecLeaf;
    const der = convertKey(leaf.key, ['-outform', 'DER']);
    const fromDer = loadedSecrets({ privateKey: der });
    for (const line of keyLines(leaf.keyPem)) assert.ok(fromDer.includes(line), `DER key: ${line.slice(0, 12)}`);

    const bundle = loadedSecrets({ certificate: Buffer.from(`${leaf.certPem}${leaf.keyPem}`) });
    for (const line of keyLines(leaf.keyPem)) assert.ok(bundle.includes(line));
    for (const line of keyLines(leaf.certPem).slice(1, -1)) assert.ok(!bundle.includes(line), 'certificate not masked');

    const p12 = makePkcs12(leaf, { password: 'pw' });
    const fromP12 = loadedSecrets({ pkcs12: p12 });
    assert.ok(fromP12.includes(p12.toString('base64')));
    assert.ok(fromP12.includes(p12.toString('base64').slice(0, 64)));
  });
});
