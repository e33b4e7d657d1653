import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePkcs11Pin } from '../../src/pkcs11/pin.js';
import { pinSourceFileUri, tokenIdentity, uriWithPinSource } from '../../src/pkcs11/profile-uri.js';
import { parsePkcs11Uri } from '../../src/pkcs11/uri.js';

describe('pkcs11: URIs for a profile command line', () => {
  const written: string[] = [];
  const pinFile = (pin: string) => {
    written.push(pin);
    return '/run/job/pin';
  };

  it('adds a pin-source for the PIN, keeping the rest of the query', () => {
    assert.equal(
      uriWithPinSource('pkcs11:token=ci;object=key?module-path=/usr/lib/m.so', '1234', pinFile),
      'pkcs11:token=ci;object=key?module-path=/usr/lib/m.so&pin-source=file:/run/job/pin',
    );
    assert.equal(uriWithPinSource('pkcs11:token=ci', '1234', pinFile), 'pkcs11:token=ci?pin-source=file:/run/job/pin');
  });

  it('moves a pin-value into the file (it wins over the step PIN) and never leaves it on the line', () => {
    written.length = 0;
    const uri = uriWithPinSource('pkcs11:token=ci?pin-value=secret%2042&module-path=/m.so', '1234', pinFile);
    assert.equal(uri, 'pkcs11:token=ci?module-path=/m.so&pin-source=file:/run/job/pin');
    assert.deepEqual(written, ['secret 42']);
  });

  it("keeps a URI's own pin-source, and writes nothing without a PIN", () => {
    written.length = 0;
    assert.equal(
      uriWithPinSource('pkcs11:token=ci?pin-source=file:/etc/pin', '1234', pinFile),
      'pkcs11:token=ci?pin-source=file:/etc/pin',
    );
    assert.equal(uriWithPinSource('pkcs11:token=ci', undefined, pinFile), 'pkcs11:token=ci');
    assert.deepEqual(written, []);
  });

  it('escapes a path so the PIN is read back from it (spaces, %, ; ? & and non-ASCII)', () => {
    const path = join(tmpdir(), `iamra pin %20;?&é-${process.pid}`, 'pin');
    const uri = parsePkcs11Uri(`pkcs11:token=ci?pin-source=${pinSourceFileUri(path)}`);
    assert.equal(
      resolvePkcs11Pin(uri, {}, (file) => Buffer.from(file === path ? 'pin-from-file\n' : '')),
      'pin-from-file',
    );
  });

  it('refuses a path that is not POSIX (a Windows runner) with one line', () => {
    assert.throws(
      () => pinSourceFileUri('D:\\a\\_temp\\pin'),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'FEATURE_UNSUPPORTED');
        return true;
      },
    );
  });

  it('names a token object in the cache key by its URI without the PIN, and the module flag', () => {
    assert.equal(
      tokenIdentity('key', 'pkcs11:token=ci;object=k?pin-value=1234', '/m.so'),
      'pkcs11 key pkcs11:token=ci;object=k module /m.so',
    );
    assert.equal(
      tokenIdentity('certificate', 'pkcs11:token=ci', undefined),
      'pkcs11 certificate pkcs11:token=ci module ',
    );
  });
});
