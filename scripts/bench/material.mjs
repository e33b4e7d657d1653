// Fixed signing material per key type, made once by the openssl CLI: a self-signed leaf with
// the extensions Roles Anywhere wants.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const KEY_SPECS = {
  'RSA-2048': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  'RSA-4096': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:4096'],
  'P-256': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'P-384': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
};

export function makeLeaf(dir, spec) {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['genpkey', ...KEY_SPECS[spec], '-out', key], { stdio: 'ignore' });
  execFileSync(
    'openssl',
    [
      'req',
      '-new',
      '-x509',
      '-sha256',
      '-key',
      key,
      '-subj',
      '/CN=bench',
      '-days',
      '2',
      '-out',
      cert,
      '-addext',
      'keyUsage=critical,digitalSignature',
      '-addext',
      'basicConstraints=critical,CA:FALSE',
    ],
    { stdio: 'ignore' },
  );
  return { certificate: readFileSync(cert, 'utf8'), privateKey: readFileSync(key, 'utf8') };
}
