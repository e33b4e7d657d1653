/** Where the TPM is: IAMRA_TPM_TCTI in tpm2-tools' syntax, TPM_DEVICE, then the kernel's devices. */
import assert from 'node:assert/strict';
import { IamraError } from '../../src/errors.js';
import { parseTcti, resolveTcti } from '../../src/tpm/tcti.js';

const code = (expected: string) => (error: unknown) => error instanceof IamraError && error.code === expected;

describe('TPM TCTI', () => {
  it('reads device and swtpm specs as tpm2-tools writes them', () => {
    assert.deepEqual(parseTcti('device'), { kind: 'device', path: '/dev/tpmrm0' });
    assert.deepEqual(parseTcti('device:/dev/tpm0'), { kind: 'device', path: '/dev/tpm0' });
    assert.deepEqual(parseTcti('swtpm'), { kind: 'socket', host: 'localhost', port: 2321 });
    assert.deepEqual(parseTcti('swtpm:host=127.0.0.1,port=2341'), { kind: 'socket', host: '127.0.0.1', port: 2341 });
    assert.deepEqual(parseTcti('swtpm:path=/run/swtpm.sock'), { kind: 'socket', path: '/run/swtpm.sock' });
  });

  it('refuses what it cannot speak or read, in one line', () => {
    assert.throws(() => parseTcti('mssim:host=localhost'), code('CONFIG_INVALID'));
    assert.throws(() => parseTcti('tabrmd'), code('CONFIG_INVALID'));
    assert.throws(() => parseTcti('swtpm:port=99999'), code('CONFIG_INVALID'));
    assert.throws(() => parseTcti('swtpm:host'), code('CONFIG_INVALID'));
  });

  it('IAMRA_TPM_TCTI wins over TPM_DEVICE, which wins over /dev/tpmrm0, then /dev/tpm0', () => {
    const env = { IAMRA_TPM_TCTI: 'swtpm:port=1', TPM_DEVICE: '/x/sock' };
    assert.deepEqual(
      resolveTcti(env, () => true),
      { kind: 'socket', host: 'localhost', port: 1 },
    );
    assert.deepEqual(
      resolveTcti({ TPM_DEVICE: '/x/sock' }, () => true),
      { kind: 'device', path: '/x/sock' },
    );
    assert.deepEqual(
      resolveTcti({}, (path) => path === '/dev/tpm0'),
      { kind: 'device', path: '/dev/tpm0' },
    );
    assert.deepEqual(
      resolveTcti({}, () => true),
      { kind: 'device', path: '/dev/tpmrm0' },
    );
    assert.throws(() => resolveTcti({}, () => false), code('TPM_UNAVAILABLE'));
  });
});
