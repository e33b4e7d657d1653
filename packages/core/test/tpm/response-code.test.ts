/** TPM response codes as one line each: the format-1 number whatever handle, session or parameter it names. */
import assert from 'node:assert/strict';
import { isRetryWarning, tpmResponseError } from '../../src/tpm/response-code.js';

describe('TPM response codes', () => {
  it('a refused password, with the session bits set as a real TPM sends them (AUTH_FAIL, BAD_AUTH)', () => {
    for (const rc of [0x98e, 0x9a2, 0x08e]) assert.equal(tpmResponseError(rc, 'sign').code, 'TPM_PASSWORD_WRONG');
  });

  it('names what each known code means, and the hex of any other', () => {
    assert.equal(tpmResponseError(0x18b, 'read the key').code, 'TPM_KEY_NOT_FOUND'); // HANDLE, handle 1
    assert.equal(tpmResponseError(0x19b, 'load the key').code, 'TPM_KEY_UNUSABLE'); // INTEGRITY, handle 1
    assert.equal(tpmResponseError(0x921, 'sign').code, 'TPM_LOCKOUT');
    assert.equal(tpmResponseError(0x902, 'load the key').code, 'TPM_BUSY');
    const other = tpmResponseError(0x1c4, 'sign');
    assert.equal(other.code, 'TPM_FAILED');
    assert.match(other.message, /failed to sign \(response code 0x1c4\); decode it with tpm2_rc_decode 0x1c4/);
  });

  it('retries only the warnings that ask for it', () => {
    assert.equal(isRetryWarning(0x922), true);
    assert.equal(isRetryWarning(0x921), false);
  });
});
