/**
 * Every real peer the test suites talk to: where it lives once installed, how to tell that it is
 * there and current, and how to install it. Everything lands under `.tools/` and `.venv/` in the
 * repository (ignored by git), so a second run finds it and does nothing.
 */
import { join } from 'node:path';

/** Debian packages, installed in one apt-get call when any is missing (needs root). */
export const debianPackages = [
  { name: 'AWS CLI v2', pkg: 'awscli', probe: ['/usr/bin/aws', ['--version']], expect: /^aws-cli\/2\./ },
  { name: 'SoftHSM2', pkg: 'softhsm2', probe: ['softhsm2-util', ['--version']], expect: /\d+\.\d+/ },
  {
    name: 'OpenSC pkcs11-tool',
    pkg: 'opensc',
    probe: ['sh', ['-c', 'command -v pkcs11-tool']],
    expect: /pkcs11-tool$/,
  },
  { name: 'OpenSSL', pkg: 'openssl', probe: ['openssl', ['version']], expect: /OpenSSL/ },
  { name: 'swtpm (software TPM 2.0)', pkg: 'swtpm', probe: ['swtpm', ['--version']], expect: /TPM emulator version/ },
  { name: 'tpm2-tools', pkg: 'tpm2-tools', probe: ['tpm2_createprimary', ['-v']], expect: /version="5\./ },
  {
    name: "tpm2-tss's swtpm TCTI (tpm2-tools to swtpm)",
    pkg: 'libtss2-tcti-swtpm0',
    probe: ['sh', ['-c', 'ls /usr/lib/*/libtss2-tcti-swtpm.so.0']],
    expect: /libtss2-tcti-swtpm\.so\.0/,
  },
];

/** Go-built peers, `go install`ed from the Go module proxy into .tools/bin. */
export const goTools = [
  { name: 'nektos/act (a real GitHub Actions runner)', bin: 'act', module: 'github.com/nektos/act@v0.2.89' },
  { name: 'actionlint', bin: 'actionlint', module: 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.12' },
  {
    name: "AWS's aws_signing_helper",
    bin: 'rolesanywhere-credential-helper',
    module: 'github.com/aws/rolesanywhere-credential-helper@v1.4.0',
    cgo: true,
  },
];

/** Go programs of this repository, built from their folder (modules from the Go module proxy). */
export const goPrograms = [
  { name: 'Go SDK v2 consumer', bin: 'go-sdk-consumer', dir: join('test', 'peers', 'go-sdk-consumer') },
];

export const python = {
  name: 'Python virtualenv (botocore, iam-rolesanywhere-session)',
  packages: ['botocore', 'iam-rolesanywhere-session'],
  imports: 'import botocore, iam_rolesanywhere_session',
};

export const node24 = { name: 'Node 24', spec: 'node@24', major: 'v24.' };
