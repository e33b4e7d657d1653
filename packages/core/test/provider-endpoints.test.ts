/**
 * fromRolesAnywhere's endpoint and trust options, like the AWS SDKs' own: useFipsEndpoint or
 * AWS_USE_FIPS_ENDPOINT=true, and caBundle or AWS_CA_BUNDLE against an emulator serving TLS
 * with a certificate from a private CA.
 */
import assert from 'node:assert/strict';
import { fromRolesAnywhere, type HttpRequest, IamraError } from '@iamra/core';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { makePki } from '../../../test/support/pki.js';
import { makeTlsServerPki } from '../../../test/support/tls-server.js';

describe('fromRolesAnywhere endpoints and CA bundles', function () {
  this.timeout(30_000);
  const pki = makePki({ subjectPrefix: 'provider-endpoints' });
  const { serverCa, serverCert } = makeTlsServerPki('provider');
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({
      cas: [pki.root.certPem],
      tls: { cert: serverCert.certPem, key: serverCert.keyPem },
    });
  });
  after(() => emulator.stop());

  const base = () => ({
    certificatePath: pki.ecLeaf.certPath,
    privateKeyPath: pki.ecLeaf.keyPath,
    intermediatesPath: pki.intermediate.certPath,
    trustAnchorArn: emulator.trustAnchorArns[0] ?? '',
    profileArn: emulator.profileArn,
    roleArn: emulator.roleArns[0] ?? '',
  });

  it('sends CreateSession to rolesanywhere-fips with useFipsEndpoint or AWS_USE_FIPS_ENDPOINT=true', async () => {
    for (const options of [{ useFipsEndpoint: true }, { env: { AWS_USE_FIPS_ENDPOINT: 'true' } }, { env: {} }]) {
      const urls: string[] = [];
      const transport = async (request: HttpRequest) => {
        urls.push(request.url);
        return { status: 403, headers: {}, body: '{"message":"no"}' };
      };
      await assert.rejects(fromRolesAnywhere({ ...base(), ...options, deps: { transport } })(), IamraError);
      const fips = 'useFipsEndpoint' in options || options.env.AWS_USE_FIPS_ENDPOINT === 'true';
      assert.equal(new URL(urls[0] ?? '').host, `rolesanywhere${fips ? '-fips' : ''}.us-east-1.amazonaws.com`);
    }
  });

  it('trusts caBundle or AWS_CA_BUNDLE besides the default CAs, and not without them', async () => {
    const options = { ...base(), endpoint: emulator.endpoint };
    await assert.rejects(
      fromRolesAnywhere({ ...options, env: {} })(),
      (error: unknown) => error instanceof IamraError && error.code === 'TLS_UNTRUSTED',
    );
    const fromOption = await fromRolesAnywhere({ ...options, caBundle: serverCa.certPath, env: {} })();
    assert.match(fromOption.accessKeyId, /^ASIA/);
    const fromEnv = await fromRolesAnywhere({ ...options, env: { AWS_CA_BUNDLE: serverCa.certPath } })();
    assert.match(fromEnv.accessKeyId, /^ASIA/);
  });
});
