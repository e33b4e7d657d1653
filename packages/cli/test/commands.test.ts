/** read-certificate-data and sign-string: what they print, and their refusals. */
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../../test/support/cli-run.js';
import { convertKey, makeCertificate, makePkcs12, makePki, testDir } from '../../../test/support/pki.js';
import { main } from '../src/index.js';

describe('read-certificate-data and sign-string', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'commands' });
  const dir = testDir();

  it('read-certificate-data --report json: key type, serial in decimal and hex, path, certificates off it, warnings', async () => {
    const soon = makeCertificate({
      key: 'p256',
      subject: '/CN=commands soon/O=iamra',
      issuer: pki.intermediate,
      notAfter: new Date(Date.now() + 2 * 24 * 3600 * 1000),
    });
    const stranger = makeCertificate({ ca: true, subject: '/CN=commands stranger' });
    const bundle = join(dir, 'bundle.pem');
    writeFileSync(bundle, pki.intermediate.certPem + stranger.certPem);
    const result = await runCli(main, [
      'read-certificate-data',
      '--certificate',
      soon.certPath,
      '--private-key',
      soon.keyPath,
      '--intermediates',
      bundle,
      '--report',
      'json',
    ]);
    assert.equal(result.exitCode, 0, result.stderr);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.equal(report.keyType, 'EC P-256');
    assert.equal(report.algorithm, 'AWS4-X509-ECDSA-SHA256');
    assert.equal(report.subject, 'CN=commands soon,O=iamra');
    assert.equal(report.issuer, 'CN=commands intermediate');
    assert.equal(report.serialDecimal, BigInt(`0x${soon.serialHex}`).toString());
    assert.equal(String(report.serialHex).replace(/^0+/, ''), soon.serialHex.replace(/^0+/, ''));
    assert.deepEqual(
      (report.path as { subject: string }[]).map((c) => c.subject),
      ['CN=commands intermediate'],
    );
    assert.deepEqual(report.notOnPath, ['CN=commands stranger']);
    assert.ok(
      (report.warnings as string[]).some((w) => w.startsWith('CERT_EXPIRES_SOON: ')),
      JSON.stringify(report.warnings),
    );
  });

  it('read-certificate-data without a key, human-readable; from a PKCS#12 with its password', async () => {
    const human = await runCli(main, [
      'read-certificate-data',
      '--certificate',
      pki.ecLeaf.certPath,
      '--intermediates',
      pki.intermediate.certPath,
      '--report',
      'text',
    ]);
    assert.equal(human.exitCode, 0, human.stderr);
    assert.match(human.stdout, /^subject: CN=commands ec leaf,O=iamra$/m);
    assert.match(human.stdout, /^issuer: CN=commands intermediate$/m);
    assert.match(human.stdout, /^serialDecimal: \d+$/m);
    assert.match(human.stdout, /^notAfter: \d{4}-\d\d-\d\dT/m);
    assert.match(
      human.stdout,
      /^path:\n {2}- CN=commands intermediate \(serial [0-9a-f]+, valid \S+ to \S+, issuer CN=commands root\)$/m,
    );
    assert.match(human.stdout, /^notOnPath: none$/m);
    const p12 = join(dir, 'read.p12');
    writeFileSync(p12, makePkcs12(pki.rsaLeaf, { password: 'pw', extraCerts: [pki.intermediate] }));
    const fromP12 = await runCli(main, ['read-certificate-data', '--pkcs12', p12, '--report', 'json'], {
      IAMRA_PKCS12_PASSWORD: 'pw',
    });
    assert.equal(fromP12.exitCode, 0, fromP12.stderr);
    assert.equal((JSON.parse(fromP12.stdout) as { keyType: string }).keyType, 'RSA 2048');
  });

  it('read-certificate-data without a key still builds the chain and runs the certificate checks', async () => {
    const soon = makeCertificate({
      key: 'rsa2048',
      subject: '/CN=commands soon rsa',
      issuer: pki.intermediate,
      notAfter: new Date(Date.now() + 3 * 24 * 3600 * 1000),
    });
    const bundle = join(dir, 'with-root.pem');
    writeFileSync(bundle, pki.intermediate.certPem + pki.root.certPem);
    const result = await runCli(main, [
      'read-certificate-data',
      '--certificate',
      soon.certPath,
      '--intermediates',
      bundle,
      '--report',
      'json',
    ]);
    assert.equal(result.exitCode, 0, result.stderr);
    const report = JSON.parse(result.stdout) as {
      keyType: string;
      notOnPath: string[];
      warnings: string[];
      path: unknown[];
    };
    assert.equal(report.keyType, 'RSA 2048');
    assert.equal(report.path.length, 1);
    assert.deepEqual(report.notOnPath, ['CN=commands root'], 'the self-signed root ends the path');
    assert.match(
      report.warnings[0] ?? '',
      /^CERT_EXPIRES_SOON: certificate "CN=commands soon rsa" expires on .*, in 2 days; renew it before then$/,
    );
  });

  it('read-certificate-data shows an expired certificate, then refuses it (exit 2, one line)', async () => {
    const expired = makeCertificate({
      key: 'p256',
      subject: '/CN=commands expired',
      issuer: pki.intermediate,
      notBefore: new Date(Date.now() - 10 * 24 * 3600 * 1000),
      notAfter: new Date(Date.now() - 24 * 3600 * 1000),
    });
    for (const withKey of [false, true]) {
      const result = await runCli(main, [
        'read-certificate-data',
        '--certificate',
        expired.certPath,
        ...(withKey ? ['--private-key', expired.keyPath] : []),
      ]);
      assert.equal(result.exitCode, 2, result.stderr);
      assert.equal(
        (JSON.parse(result.stdout) as { serialNumber: string }).serialNumber,
        BigInt(`0x${expired.serialHex}`).toString(),
      );
      assert.match(
        result.stderr,
        /^iamra: CERT_EXPIRED: certificate "CN=commands expired" expired on .*; issue a new certificate from the trust anchor's CA\n$/,
      );
    }
  });

  it('read-certificate-data: a subject holding a log command cannot run it (text report, --debug)', async () => {
    const hostile = makeCertificate({ key: 'p256', subject: '/CN=##vso[task.setvariable variable=pwned]1' });
    for (const args of [['--report', 'text'], ['--debug']]) {
      const result = await runCli(main, ['read-certificate-data', '--certificate', hostile.certPath, ...args]);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stdout + result.stderr, /subject: CN=/);
      assert.doesNotMatch(result.stdout + result.stderr, /##vso\[/);
    }
  });

  it('read-certificate-data refusals', async () => {
    const none = await runCli(main, ['read-certificate-data']);
    assert.equal(none.exitCode, 2);
    assert.equal(none.stderr, 'iamra: CONFIG_INVALID: give --certificate FILE or --pkcs12 FILE\n');
    const key = await runCli(main, ['read-certificate-data', '--certificate', pki.ecLeaf.keyPath]);
    assert.equal(key.exitCode, 2);
    assert.match(key.stderr, /^iamra: CERT_MALFORMED: /);
  });

  it('sign-string --stdin signs stdin as json (default), text and bin, with SHA256/384/512, verifiable by the certificate', async () => {
    const data = 'AWS4-X509-RSA-SHA256\n20260101T000000Z\nscope\nhash';
    for (const leaf of [pki.rsaLeaf, pki.ecLeaf]) {
      const publicKey = createPublicKey(leaf.certPem);
      for (const digest of ['SHA256', 'SHA384', 'sha512']) {
        const args = ['sign-string', '--stdin', '--private-key', leaf.keyPath, '--digest', digest];
        const json = await runCli(main, args, {}, data);
        assert.equal(json.exitCode, 0, json.stderr);
        const hex = JSON.parse(json.stdout) as string;
        assert.ok(verify(digest.toUpperCase(), Buffer.from(data), publicKey, Buffer.from(hex, 'hex')), digest);
      }
      const text = await runCli(
        main,
        ['sign-string', '--stdin', '--private-key', leaf.keyPath, '--format', 'text'],
        {},
        data,
      );
      assert.match(text.stdout, /^[0-9a-f]+$/);
      assert.ok(verify('SHA256', Buffer.from(data), publicKey, Buffer.from(text.stdout, 'hex')));
    }
    const chunks: Uint8Array[] = [];
    const exitCode = await main(['sign-string', '--stdin', '--private-key', pki.ecLeaf.keyPath, '--format', 'bin'], {
      stdout: { write: (chunk: string | Uint8Array) => chunks.push(Buffer.from(chunk)) },
      stderr: { write: () => true },
      stdin: (await import('node:stream')).Readable.from([Buffer.from(data)]),
      env: {},
    });
    assert.equal(exitCode, 0);
    assert.ok(verify('SHA256', Buffer.from(data), createPublicKey(pki.ecLeaf.certPem), Buffer.concat(chunks)));
  });

  it('sign-string takes the key from IAMRA_PRIVATE_KEY and an encrypted key with its passphrase', async () => {
    const fromEnv = await runCli(main, ['sign-string'], { IAMRA_PRIVATE_KEY: pki.ecLeaf.keyPem }, 'x');
    assert.equal(fromEnv.exitCode, 0, fromEnv.stderr);
    const encrypted = join(dir, 'sign-enc.key');
    writeFileSync(encrypted, convertKey(pki.rsaLeaf.key, ['-aes256'], 'pp'));
    const wrong = await runCli(
      main,
      ['sign-string', '--private-key', encrypted],
      { IAMRA_PRIVATE_KEY_PASSPHRASE: 'no' },
      'x',
    );
    assert.equal(wrong.exitCode, 2);
    assert.match(wrong.stderr, /^iamra: PASSPHRASE_WRONG: /);
    const right = await runCli(
      main,
      ['sign-string', '--private-key', encrypted],
      { IAMRA_PRIVATE_KEY_PASSPHRASE: 'pp' },
      'x',
    );
    assert.equal(right.exitCode, 0, right.stderr);
  });

  it('sign-string refusals', async () => {
    const format = await runCli(main, ['sign-string', '--private-key', pki.ecLeaf.keyPath, '--format', 'xml'], {}, 'x');
    assert.equal(format.exitCode, 2);
    assert.equal(format.stderr, "iamra: CONFIG_INVALID: --format must be one of json, text, bin; got 'xml'\n");
    const digest = await runCli(main, ['sign-string', '--private-key', pki.ecLeaf.keyPath, '--digest', 'MD5'], {}, 'x');
    assert.equal(digest.stderr, "iamra: CONFIG_INVALID: --digest must be one of SHA256, SHA384, SHA512; got 'MD5'\n");
    const none = await runCli(main, ['sign-string'], {}, 'x');
    assert.equal(none.stderr, 'iamra: CONFIG_INVALID: give --private-key FILE (or IAMRA_PRIVATE_KEY)\n');
  });
});
