/** Listing a token's certificates with a URI for each, as read-certificate-data prints them. */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { makeSoftToken, type SoftToken, TOKEN_LABEL } from '../../../../test/support/softhsm.js';
import { listPkcs11Certificates } from '../../src/pkcs11/list.js';
import { parsePkcs11Uri } from '../../src/pkcs11/uri.js';

describe('PKCS#11 certificate listing (SoftHSM2)', function () {
  this.timeout(60_000);
  let token: SoftToken;
  let savedConf: string | undefined;

  before(() => {
    token = makeSoftToken();
    savedConf = process.env.SOFTHSM2_CONF;
    process.env.SOFTHSM2_CONF = token.env.SOFTHSM2_CONF;
  });
  after(() => {
    if (savedConf === undefined) delete process.env.SOFTHSM2_CONF;
    else process.env.SOFTHSM2_CONF = savedConf;
  });

  it('lists every certificate of the token, each with a URI that finds exactly it', async () => {
    const listed = await listPkcs11Certificates({
      certificate: `pkcs11:token=${TOKEN_LABEL}`,
      modulePath: token.module,
    });
    const fingerprints = listed.map((entry) => new X509Certificate(entry.der).fingerprint256).sort();
    const expected = [token.rsa.certPem, token.ec.certPem].map((pem) => new X509Certificate(pem).fingerprint256).sort();
    for (const fingerprint of expected) assert.ok(fingerprints.includes(fingerprint));
    for (const entry of listed) {
      const uri = parsePkcs11Uri(entry.uri);
      assert.equal(uri.type, 'cert');
      assert.ok(!/pin-/.test(entry.uri), 'a listed URI never carries a PIN');
      assert.match(
        entry.uri,
        /;id=(%[0-9A-F]{2})+/,
        'CKA_ID is percent-encoded byte by byte, as the Go helper writes it',
      );
      const again = await listPkcs11Certificates({ certificate: entry.uri, modulePath: token.module });
      assert.equal(again.length, 1);
      assert.deepEqual(again[0]?.der, entry.der);
    }
  });

  it('lists nothing for a URI that matches no certificate', async () => {
    const listed = await listPkcs11Certificates({
      certificate: `pkcs11:token=${TOKEN_LABEL};object=no-such-object`,
      modulePath: token.module,
    });
    assert.deepEqual(listed, []);
  });
});
