/** `iamra doctor`: the path to the trust anchor's CA, expiry warnings, principal tags, neutralised output. */
import assert from 'node:assert/strict';
import { runCli } from '../../../test/support/cli-run.js';
import { makeCertificate, makePki } from '../../../test/support/pki.js';
import { main } from '../src/index.js';

describe('iamra doctor', function () {
  this.timeout(60_000);
  const pki = makePki({ subjectPrefix: 'doctor' });
  const other = makePki({ subjectPrefix: 'doctor-other' });
  const doctor = (args: string[]) => runCli(main, ['doctor', ...args]);

  it('trusted: the path to the anchor, the source identity and the principal tags, exit 0', async () => {
    const leaf = makeCertificate({
      key: 'p256',
      issuer: pki.intermediate,
      subject: '/CN=build-agent-7/OU=platform/O=Example Corp/C=DE',
      extraExtensions: ['subjectAltName = DNS:agent7.build.example, DNS:second.example, URI:spiffe://ci/agent7'],
    });
    const result = await doctor([
      '--certificate',
      leaf.certPath,
      '--intermediates',
      pki.intermediate.certPath,
      '--trust-anchor-ca',
      pki.root.certPath,
    ]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stderr, '');
    const lines = result.stdout.split('\n');
    assert.match(lines[1] ?? '', /^issued by: ".*intermediate/);
    assert.match(lines[2] ?? '', /^trust anchor CA: ".*root/);
    assert.ok(lines.includes('chain: trusted by the trust anchor'));
    assert.ok(lines.includes('source identity: CN=build-agent-7'));
    for (const tag of [
      'x509Subject/CN = build-agent-7',
      'x509Subject/OU = platform',
      'x509Subject/O = Example Corp',
      'x509Subject/C = DE',
      'x509SAN/DNS = agent7.build.example',
      'x509SAN/URI = spiffe://ci/agent7',
    ]) {
      assert.ok(lines.includes(`  aws:PrincipalTag/${tag}`), `${tag}\n${result.stdout}`);
    }
    assert.ok(lines.some((line) => line.startsWith('  aws:PrincipalTag/x509Issuer/CN = ')));
  });

  it('not trusted: a missing intermediate or another CA, CHAIN_UNTRUSTED and exit 2, the report still printed', async () => {
    const missing = await doctor(['--certificate', pki.ecLeaf.certPath, '--trust-anchor-ca', pki.root.certPath]);
    assert.equal(missing.exitCode, 2);
    assert.ok(missing.stdout.includes('chain: NOT trusted'));
    assert.match(
      missing.stderr,
      /^iamra: CHAIN_UNTRUSTED: no certificate in the trust anchor's bundle or the intermediates issued /,
    );
    const foreign = await doctor([
      '--certificate',
      pki.ecLeaf.certPath,
      '--intermediates',
      pki.intermediate.certPath,
      '--trust-anchor-ca',
      other.root.certPath,
    ]);
    assert.equal(foreign.exitCode, 2);
    assert.match(foreign.stderr, /CHAIN_UNTRUSTED/);
  });

  it('warns about coming expiry and refuses an expired certificate', async () => {
    const day = 86_400_000;
    const soon = makeCertificate({
      key: 'p256',
      issuer: pki.intermediate,
      subject: '/CN=expiring',
      notBefore: new Date(Date.now() - day),
      notAfter: new Date(Date.now() + 10 * day),
    });
    const args = (path: string) => [
      '--certificate',
      path,
      '--intermediates',
      pki.intermediate.certPath,
      '--trust-anchor-ca',
      pki.root.certPath,
    ];
    const warned = await doctor(args(soon.certPath));
    assert.equal(warned.exitCode, 0, warned.stderr);
    assert.match(warned.stdout, /^warning: "CN=expiring" expires in (9|10) day\(s\), at /m);
    const expired = makeCertificate({
      key: 'p256',
      issuer: pki.intermediate,
      subject: '/CN=expired',
      notBefore: new Date(Date.now() - 10 * day),
      notAfter: new Date(Date.now() - day),
    });
    const refused = await doctor(args(expired.certPath));
    assert.equal(refused.exitCode, 2);
    assert.match(refused.stderr, /CHAIN_UNTRUSTED: "CN=expired" is outside its validity/);
  });

  it('neutralises certificate text: no agent or runner command, no terminal escape reaches the output', async () => {
    const hostile = makeCertificate({
      key: 'p256',
      issuer: pki.intermediate,
      subject: '/CN=##vso[task.setvariable variable=x]y\u001b[31m/O=::set-output name=a::b',
    });
    const result = await doctor(['--certificate', hostile.certPath, '--trust-anchor-ca', other.root.certPath]);
    const output = result.stdout + result.stderr;
    assert.ok(output.includes('aws:PrincipalTag/x509Subject/CN = '), 'the hostile value is shown, neutralised');
    assert.ok(output.includes('\\u001b'), 'the escape character is shown as text');
    assert.ok(!output.includes('##vso['), output);
    assert.ok(!output.includes('\u001b'), output);
    assert.ok(!/^::/m.test(output), output);
  });
});
