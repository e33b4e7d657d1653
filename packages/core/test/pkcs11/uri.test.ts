import assert from 'node:assert/strict';
import { IamraError, isPkcs11Uri, parsePkcs11Uri, resolvePkcs11Pin } from '@iamra/core/light';
import { rawEcdsaToDer } from '../../src/pkcs11/ecdsa-der.js';
import { ckrName, pkcs11Failure } from '../../src/pkcs11/failure.js';
import { DEFAULT_MODULE_PATHS, findModulePath, loadBinding } from '../../src/pkcs11/module.js';

const code = (expected: string, text?: RegExp) => (error: unknown) =>
  error instanceof IamraError && error.code === expected && (!text || text.test(error.message));

describe('PKCS#11 URIs (RFC 7512)', () => {
  it('reads token, object, id, type and the query attributes', () => {
    const uri = parsePkcs11Uri(
      'pkcs11:token=CI%20Token;manufacturer=SoftHSM%20project;serial=abc;model=SoftHSM%20v2;object=ci-key;id=%01%ff;type=private;slot-id=7;slot-description=d;slot-manufacturer=m;library-version=2?module-path=/usr/lib/m.so&pin-source=file:/run/pin',
    );
    assert.equal(uri.token, 'CI Token');
    assert.equal(uri.manufacturer, 'SoftHSM project');
    assert.equal(uri.serial, 'abc');
    assert.equal(uri.model, 'SoftHSM v2');
    assert.equal(uri.object, 'ci-key');
    assert.deepEqual(uri.id, Buffer.from([1, 255]));
    assert.equal(uri.type, 'private');
    assert.equal(uri.slotId, 7);
    assert.equal(uri.slotDescription, 'd');
    assert.equal(uri.slotManufacturer, 'm');
    assert.equal(uri.modulePath, '/usr/lib/m.so');
    assert.equal(uri.pinSource, 'file:/run/pin');
  });

  it('keeps pin-value out of the display form', () => {
    const uri = parsePkcs11Uri('pkcs11:token=t;object=k?pin-value=12345678&module-path=/m.so');
    assert.equal(uri.pinValue, '12345678');
    assert.equal(uri.display, 'pkcs11:token=t;object=k?module-path=/m.so');
    assert.equal(parsePkcs11Uri('PKCS11:object=k?pin-value=1').display, 'pkcs11:object=k');
  });

  it('decodes UTF-8 labels and literal non-ASCII text', () => {
    assert.equal(parsePkcs11Uri('pkcs11:object=caf%C3%A9').object, 'café');
    assert.equal(parsePkcs11Uri('pkcs11:object=café;x-vendor=1').object, 'café');
  });

  it('recognises URIs and nothing else', () => {
    assert.ok(isPkcs11Uri(' pkcs11:token=t'));
    assert.ok(!isPkcs11Uri('/etc/key.pem'));
    assert.ok(!isPkcs11Uri(undefined));
  });

  for (const [text, why] of [
    ['/etc/key.pem', /does not start with pkcs11:/],
    ['pkcs11:token=a;token=b', /gives token twice/],
    ['pkcs11:id=%1', /broken %-escape in id/],
    ['pkcs11:slot-id=x', /slot-id that is not a number/],
    ['pkcs11:type=secret', /unknown type "secret"/],
    ['pkcs11:colour=red', /unknown attribute "colour"/],
    ['pkcs11:object=k?pin=1', /unknown query attribute "pin"/],
    ['pkcs11:object=k?12345678', /not NAME=VALUE/],
    ['pkcs11:object=k?pin-value=1&pin-source=file:/p', /both pin-value and pin-source/],
  ] as const) {
    it(`refuses ${text}`, () => {
      assert.throws(() => parsePkcs11Uri(text), code('PKCS11_URI_INVALID', why));
    });
  }

  it('never quotes a stray query part, which may be a PIN', () => {
    assert.throws(
      () => parsePkcs11Uri('pkcs11:object=k?9876543210'),
      (error: Error) => !error.message.includes('9876543210'),
    );
  });
});

describe('PKCS#11 PIN sources', () => {
  const files: Record<string, Buffer> = { '/run/pin': Buffer.from('file-pin-1234\n'), '/a b/pin': Buffer.from('x') };
  const readFile = (path: string) => {
    const content = files[path];
    if (!content) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    return content;
  };
  const pin = (uri: string, env: NodeJS.ProcessEnv = {}) => resolvePkcs11Pin(parsePkcs11Uri(uri), env, readFile);

  it('reads pin-source=file:/path and file:///path, without the trailing newline', () => {
    assert.equal(pin('pkcs11:object=k?pin-source=file:/run/pin'), 'file-pin-1234');
    assert.equal(pin('pkcs11:object=k?pin-source=file:///run/pin'), 'file-pin-1234');
    assert.equal(pin('pkcs11:object=k?pin-source=file://localhost/run/pin'), 'file-pin-1234');
    assert.equal(pin('pkcs11:object=k?pin-source=file:///a%2520b/pin'), 'x');
  });

  it('takes pin-value, then IAMRA_PKCS11_PIN', () => {
    assert.equal(pin('pkcs11:object=k?pin-value=inline', { IAMRA_PKCS11_PIN: 'env' }), 'inline');
    assert.equal(pin('pkcs11:object=k', { IAMRA_PKCS11_PIN: 'env' }), 'env');
    assert.equal(pin('pkcs11:object=k', { IAMRA_PKCS11_PIN: '' }), undefined);
  });

  it('refuses other pin-source schemes and names a missing file', () => {
    assert.throws(() => pin('pkcs11:object=k?pin-source=|cat%20/run/pin'), code('PKCS11_URI_INVALID', /file URI/));
    assert.throws(() => pin('pkcs11:object=k?pin-source=file:/missing'), code('FILE_UNREADABLE', /PIN file/));
  });
});

describe('PKCS#11 module search and failures', () => {
  it('takes --pkcs11-lib when it exists, else the first module found', () => {
    const exists = (path: string) => path === '/b.so' || path === '/explicit.so';
    assert.equal(findModulePath('/explicit.so', ['/a.so', '/b.so'], exists), '/explicit.so');
    assert.equal(findModulePath(undefined, ['/a.so', '/b.so'], exists), '/b.so');
    assert.throws(() => findModulePath('/gone.so', [], exists), code('PKCS11_MODULE_NOT_FOUND', /\/gone\.so/));
    assert.throws(() => findModulePath(undefined, ['/a.so'], exists), code('PKCS11_MODULE_NOT_FOUND', /--pkcs11-lib/));
  });

  it('the default search includes p11-kit-proxy, OpenSC and SoftHSM2', () => {
    for (const name of ['p11-kit-proxy.so', 'opensc-pkcs11.so', 'libsofthsm2.so']) {
      assert.ok(
        DEFAULT_MODULE_PATHS.some((path) => path.endsWith(name)),
        name,
      );
    }
  });

  it('says how to install the binding when pkcs11js is missing', async () => {
    await assert.rejects(
      loadBinding(() => Promise.reject(new Error('Cannot find module'))),
      code('PKCS11_UNAVAILABLE', /--allow-scripts=pkcs11js/),
    );
  });

  it('maps CKR results to codes, naming unknown ones', () => {
    assert.equal(pkcs11Failure(new Error('CKR_PIN_LOCKED'), 'log in').code, 'PKCS11_PIN_LOCKED');
    assert.equal(pkcs11Failure(new Error('CKR_PIN_LEN_RANGE'), 'log in').code, 'PKCS11_PIN_WRONG');
    assert.equal(pkcs11Failure(new Error('CKR_DEVICE_REMOVED'), 'sign').code, 'PKCS11_TOKEN_NOT_FOUND');
    const other = pkcs11Failure(new Error('CKR_GENERAL_ERROR'), 'sign');
    assert.equal(other.code, 'PKCS11_FAILED');
    assert.match(other.message, /failed to sign \(CKR_GENERAL_ERROR\)/);
    assert.equal(ckrName(new Error('some text with a PIN 1234')), undefined);
    assert.doesNotMatch(pkcs11Failure('x', 'sign').message, /\(/);
  });

  it('turns r||s into DER, with the sign byte where the top bit is set', () => {
    const raw = Buffer.concat([Buffer.from([0x00, 0x80, 1, 2]), Buffer.from([0x01, 2, 3, 4])]);
    assert.equal(rawEcdsaToDer(raw).toString('hex'), '300c020400800102020401020304');
    const p521 = rawEcdsaToDer(Buffer.alloc(132, 0xff));
    assert.equal(p521.subarray(0, 3).toString('hex'), '30818a');
    assert.throws(() => rawEcdsaToDer(Buffer.alloc(3)), RangeError);
  });
});
