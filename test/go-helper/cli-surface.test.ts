/**
 * The command line a user of aws_signing_helper already has: every command and flag the Go
 * binary's own --help lists is known to iamra (served, or refused with one line that names the
 * alternative); `help COMMAND`; read-certificate-data's stdout byte for byte, --debug included.
 */
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { main } from '@iamra/cli';
import type { FlagSpec } from '../../packages/cli/src/args.js';
import { signingTestString } from '../../packages/cli/src/commands/signing-test-string.js';
import { CERTIFICATE_FLAG, KEY_STORE_FLAGS, PRIVATE_KEY_FLAG } from '../../packages/cli/src/config/flags.js';
import { runCli } from '../support/cli-run.js';
import { testDir } from '../support/pki.js';
import { conformancePki, LEAF_KINDS, leafArgs, type RunResult, runGoHelper } from './support.js';

interface GoFlag {
  name: string;
  /** pflag's value type (string, int), or undefined for a switch. */
  type: string | undefined;
}

/** The commands under "Available Commands:" in the Go helper's --help. */
function goCommands(help: string): string[] {
  const section = help.split('Available Commands:\n')[1]?.split('\n\n')[0] ?? '';
  return section
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

/** The flags under "Flags:" in a Go helper command's --help. */
function goFlags(help: string): GoFlag[] {
  const section = help.split('Flags:\n')[1] ?? '';
  return section
    .split('\n')
    .map((line) => /^\s+(?:-\w, )?--([a-z0-9-]+)(?: (string|int))?\s{2,}/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ name: match[1] ?? '', type: match[2] }))
    .filter((flag) => flag.name !== 'help');
}

/**
 * The Go helper's flags for keys outside files, and values it reads as a PKCS#11 URI or a TPM
 * handle: each is parsed, and refused with one line while iamra's flag table marks it unsupported
 * (support for one is added by clearing its mark, and this follows).
 */
const KEY_STORE_FLAG_NAMES = [
  'cert-selector',
  'system-store-name',
  'pkcs11-lib',
  'reuse-pin',
  'tpm-key-password',
  'no-tpm-key-password',
];

function refusalFor(name: string): RegExp | undefined {
  const line = (KEY_STORE_FLAGS as Record<string, FlagSpec>)[name]?.unsupported;
  return line === undefined ? undefined : new RegExp(`--${name}: ${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
}

function assertOneLineRefusal(result: { exitCode: number; stdout: string; stderr: string }, line: RegExp): void {
  assert.equal(result.exitCode, 2, result.stderr);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^iamra: FEATURE_UNSUPPORTED: --[a-z0-9-]+: [^\n]+\n$/);
  assert.match(result.stderr, line);
  assert.match(
    result.stderr,
    /give the certificate and key as files with --certificate and --private-key \(or --pkcs12\)/,
  );
}

describe('the aws_signing_helper command line, served by iamra', function () {
  this.timeout(120_000);
  let commands: string[] = [];
  const helps = new Map<string, RunResult>();

  before(async () => {
    const top = await runGoHelper(['--help']);
    assert.equal(top.code, 0, top.stderr);
    commands = goCommands(top.stdout).filter((name) => name !== 'completion' && name !== 'help');
    for (const command of commands) helps.set(command, await runGoHelper([command, '--help']));
  });

  it('knows every command the Go helper lists (but its shell completion)', async () => {
    assert.deepEqual([...commands].sort(), [
      'credential-process',
      'read-certificate-data',
      'serve',
      'sign-string',
      'update',
      'version',
    ]);
    for (const command of commands) {
      const result = await runCli(main, [command, '--help']);
      assert.equal(result.exitCode, 0, `${command}: ${result.stderr}`);
    }
  });

  it('help COMMAND prints that command help, as the Go helper does', async () => {
    for (const command of commands.filter((name) => name !== 'version')) {
      const go = await runGoHelper(['help', command]);
      assert.equal(go.stdout, helps.get(command)?.stdout, `Go: help ${command}`);
      const ours = await runCli(main, ['help', command]);
      assert.equal(ours.exitCode, 0);
      assert.match(ours.stdout, new RegExp(`^Usage: iamra ${command} `));
      assert.equal(ours.stdout, (await runCli(main, [command, '--help'])).stdout);
    }
  });

  it('parses every flag of every command, listing each in its help', async () => {
    let checked = 0;
    for (const command of commands.filter((name) => name !== 'version')) {
      const flags = goFlags(helps.get(command)?.stdout ?? '');
      assert.ok(flags.length >= 5, `${command}: ${flags.length} flags`);
      const ourHelp = (await runCli(main, [command, '--help'])).stdout;
      for (const flag of flags) {
        assert.match(ourHelp, new RegExp(`^ {2}--${flag.name}\\b`, 'm'), `${command} --help lists --${flag.name}`);
        const value = flag.type === 'int' ? ['900'] : flag.type === 'string' ? ['x'] : [];
        const result = await runCli(main, [command, `--${flag.name}`, ...value]);
        assert.doesNotMatch(
          result.stderr,
          /unknown flag|unexpected argument|needs a value/,
          `${command} --${flag.name}`,
        );
        const refusal = refusalFor(flag.name);
        if (refusal) assertOneLineRefusal(result, refusal);
        checked += 1;
      }
    }
    assert.ok(checked >= 70, `${checked} flags checked`);
  });

  it('knows the six key-store flags the issue names, each with its one-line refusal', () => {
    for (const name of KEY_STORE_FLAG_NAMES) assert.ok(name in KEY_STORE_FLAGS, name);
    assert.ok(
      KEY_STORE_FLAG_NAMES.some((name) => refusalFor(name)),
      'at least one is still refused',
    );
  });

  it('refuses what the Go helper reads as a PKCS#11 URI or a TPM handle while unsupported; reads a TPM key file as one', async () => {
    for (const [spec, flag, value] of [
      [CERTIFICATE_FLAG, '--certificate', 'pkcs11:token=ci;object=deploy'],
      [PRIVATE_KEY_FLAG, '--private-key', 'pkcs11:token=ci;object=deploy;type=private'],
      [PRIVATE_KEY_FLAG, '--private-key', 'handle:0x81000001'],
    ] as const) {
      const line = spec.unsupportedValues?.find((candidate) => candidate.pattern.test(value))?.line;
      if (line === undefined) continue; // supported now: its own suite covers it
      assertOneLineRefusal(
        await runCli(main, ['credential-process', flag, value]),
        new RegExp(line.split(';')[0] ?? ''),
      );
    }
    // A TPM key file is read as one (test/tpm covers signing): a damaged one says so in one line.
    const tpmKey = join(testDir(), 'tpm.key');
    writeFileSync(
      tpmKey,
      '-----BEGIN TSS2 PRIVATE KEY-----\nMIIBAAYGZ4EFCgEDoAMBAQE=\n-----END TSS2 PRIVATE KEY-----\n',
    );
    const leaf = conformancePki('go tpm').direct.p256;
    const result = await runCli(main, [
      'credential-process',
      '--certificate',
      leaf.certPath,
      '--private-key',
      tpmKey,
      '--trust-anchor-arn',
      'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/00000000-0000-4000-8000-000000000000',
      '--profile-arn',
      'arn:aws:rolesanywhere:us-east-1:123456789012:profile/00000000-0000-4000-8000-000000000001',
      '--role-arn',
      'arn:aws:iam::123456789012:role/x',
      '--no-cache',
    ]);
    assert.equal(result.exitCode, 2, result.stderr);
    assert.match(result.stderr, /^iamra: TPM_KEY_INVALID: the TPM key file is not usable \(malformed DER\);[^\n]+\n$/);
  });

  it('an --endpoint without a scheme is HTTPS for both (a TLS ClientHello arrives)', async () => {
    const firstBytes: string[] = [];
    const server = createServer((socket) => {
      socket.once('data', (chunk: Buffer) => {
        firstBytes.push(chunk.subarray(0, 2).toString('hex'));
        socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const leaf = conformancePki('go endpoint').direct.p256;
      const arns = {
        trustAnchorArn:
          'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/0c5a2b1e-7f4f-4c3b-9d6e-1a2b3c4d5e6f',
        profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
        roleArn: 'arn:aws:iam::123456789012:role/deploy',
      };
      const args = ['credential-process', ...leafArgs(leaf, arns, `127.0.0.1:${port}`)];
      assert.notEqual((await runGoHelper(args)).code, 0);
      const fromGo = firstBytes.length;
      const ours = await runCli(main, [...args, '--no-cache', '--retry-max-attempts', '1']);
      assert.equal(ours.exitCode, 4, ours.stderr);
      assert.ok(fromGo > 0 && firstBytes.length > fromGo, `connections: ${fromGo} from Go, then ${firstBytes.length}`);
      assert.ok(
        firstBytes.every((bytes) => bytes === '1603'),
        `TLS handshake records only: ${firstBytes.join(' ')}`,
      );
    } finally {
      server.close();
    }
  });

  describe("sign-string: the Go helper's key test string", () => {
    const pki = conformancePki('go sign');
    for (const kind of LEAF_KINDS) {
      it(`${kind}: ${kind.startsWith('rsa') ? 'the same bytes' : 'signatures over the same string'} for every digest, json and text`, async () => {
        const leaf = pki.direct[kind];
        for (const digest of ['SHA256', 'SHA384', 'SHA512']) {
          // --format bin carries the same bytes as text, in binary (iamra's is checked in commands.test.ts).
          for (const format of ['json', 'text']) {
            const key = ['--certificate', leaf.certPath, '--private-key', leaf.keyPath];
            const args = ['sign-string', ...key, '--digest', digest, '--format', format];
            const go = await runGoHelper(args);
            assert.equal(go.code, 0, go.stderr);
            const ours = await runCli(main, args);
            assert.equal(ours.exitCode, 0, ours.stderr);
            if (kind.startsWith('rsa')) assert.equal(ours.stdout, go.stdout, `${digest} ${format}`);
            const hex = (text: string) => (format === 'json' ? (JSON.parse(text) as string) : text);
            assert.match(hex(ours.stdout), /^[0-9a-f]+$/);
            // ECDSA is randomized: verify each side's signature over the string the other signed.
            const publicKey = createPublicKey(leaf.certPem);
            const signed = (text: string) => Buffer.from(hex(text), 'hex');
            const testString = signingTestString(createPrivateKey(leaf.keyPem));
            assert.ok(verify(digest, testString, publicKey, signed(go.stdout)), `Go ${digest}`);
            assert.ok(verify(digest, testString, publicKey, signed(ours.stdout)), `iamra ${digest}`);
          }
        }
      });
    }
  });

  describe('read-certificate-data: the same bytes on stdout', () => {
    const pki = conformancePki('go rcd');
    for (const kind of LEAF_KINDS) {
      it(`${kind}, and with --debug`, async () => {
        const leaf = pki.viaIntermediate[kind];
        const go = await runGoHelper(['read-certificate-data', '--certificate', leaf.certPath]);
        assert.equal(go.code, 0, go.stderr);
        const data = JSON.parse(go.stdout) as Record<string, unknown>;
        assert.deepEqual(Object.keys(data), ['keyType', 'certificateData', 'serialNumber', 'supportedAlgorithms']);
        const ours = await runCli(main, ['read-certificate-data', '--certificate', leaf.certPath]);
        assert.equal(ours.exitCode, 0, ours.stderr);
        assert.equal(ours.stdout, go.stdout);
        assert.equal(ours.stderr, '');
        const goDebug = await runGoHelper(['read-certificate-data', '--certificate', leaf.certPath, '--debug']);
        assert.equal(goDebug.stdout, go.stdout);
        const oursDebug = await runCli(main, ['read-certificate-data', '--certificate', leaf.certPath, '--debug']);
        assert.equal(oursDebug.exitCode, 0, oursDebug.stderr);
        assert.equal(oursDebug.stdout, go.stdout);
        assert.match(oursDebug.stderr, /^iamra debug: subject: CN=go rcd \S+ leaf,O=iamra$/m);
      });
    }
    it('reading .serialNumber the way scripts do', async () => {
      const leaf = pki.direct.rsa2048;
      const ours = await runCli(main, ['read-certificate-data', '--certificate', leaf.certPath]);
      const { serialNumber, keyType, supportedAlgorithms } = JSON.parse(ours.stdout) as Record<string, unknown>;
      assert.equal(serialNumber, BigInt(`0x${leaf.serialHex}`).toString());
      assert.equal(keyType, 'RSA');
      assert.deepEqual(supportedAlgorithms, ['RSASHA256', 'RSASHA384', 'RSASHA512']);
    });
  });
});
