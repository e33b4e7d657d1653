/**
 * Reading TSS2 PRIVATE KEY files (draft-bottomley-tpm2-keys) as the Go helper does: what loads,
 * what is refused, and the quirks of older writers. No TPM is needed to read a file.
 */
import assert from 'node:assert/strict';
import { IamraError, parseTss2Key } from '@iamra/core';
import { type Tss2Variant, tss2KeyPem } from '../../../../test/support/tpm-keys.js';

const publicBlob = Buffer.from('0004aabbccdd', 'hex');
const privateBlob = Buffer.from('0003010203', 'hex');
const pem = (parent: number, emptyAuth: boolean, variant: Tss2Variant = {}) =>
  tss2KeyPem(publicBlob, privateBlob, parent, emptyAuth, variant);

function refused(text: string, pattern: RegExp): void {
  assert.throws(
    () => parseTss2Key(text),
    (error: unknown) => error instanceof IamraError && error.code === 'TPM_KEY_INVALID' && pattern.test(error.message),
  );
}

describe('TSS2 PRIVATE KEY files', () => {
  it('reads parent, blobs (size prefixes kept, as TPM2_Load takes them) and emptyAuth', () => {
    assert.deepEqual(parseTss2Key(pem(0x40000001, true)), {
      emptyAuth: true,
      parent: 0x40000001,
      publicBlob,
      privateBlob,
    });
    assert.equal(parseTss2Key(pem(0x81000001, false)).parent, 0x81000001);
  });

  it("an absent emptyAuth means the key has a password; an older engine's TRUE (01) is TRUE", () => {
    assert.equal(parseTss2Key(pem(0x40000001, false)).emptyAuth, false);
    assert.equal(parseTss2Key(pem(0x40000001, true, { trueByte: 0x01 })).emptyAuth, true);
  });

  it('refuses importable and sealed keys, policies, a secret, other parents, wrong blob lengths', () => {
    refused(pem(0x40000001, true, { typeArc: 4 }), /importable or sealed/);
    refused(pem(0x40000001, true, { typeArc: 5 }), /importable or sealed/);
    refused(pem(0x40000001, true, { tagged: [1] }), /TPM policy/);
    refused(pem(0x40000001, true, { tagged: [3] }), /TPM policy/);
    refused(pem(0x40000001, true, { tagged: [2] }), /'secret' field/);
    refused(pem(0x80000001, true), /neither a hierarchy nor a persistent key/);
    refused(tss2KeyPem(Buffer.from('0009aa', 'hex'), privateBlob, 0x40000001, true), /public part has a wrong length/);
    refused(tss2KeyPem(publicBlob, Buffer.from('00', 'hex'), 0x40000001, true), /private part has a wrong length/);
  });

  it('refuses text that is not a TSS2 key, or not DER inside', () => {
    refused('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', /no TSS2 PRIVATE KEY block/);
    refused('-----BEGIN TSS2 PRIVATE KEY-----\nMAMCAQE=\n-----END TSS2 PRIVATE KEY-----\n', /no key type/);
    refused('-----BEGIN TSS2 PRIVATE KEY-----\nMIIBAAYG\n-----END TSS2 PRIVATE KEY-----\n', /malformed DER/);
  });
});
