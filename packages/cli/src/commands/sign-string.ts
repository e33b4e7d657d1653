/**
 * `iamra sign-string`: signs aws_signing_helper's fixed test string with the private key, as the
 * Go helper does (RSA PKCS#1 v1.5 or ECDSA DER; output json = a JSON string of the hex, text =
 * hex, bin = raw bytes), or the bytes on stdin with --stdin.
 */
import { type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileSigner, IamraError, isPkcs11Uri, type KeySigner, parsePrivateKey, readFileOrFail } from '@iamra/core';
import { type FlagSpecs, first, type ParsedFlags, parseFlags, renderHelp } from '../args.js';
import { CERTIFICATE_FLAG, KEY_STORE_FLAGS, PRIVATE_KEY_FLAG } from '../config/flags.js';
import { hardwareConfig, openHardware } from '../config/hardware.js';
import { readStdin } from '../config/stdin.js';
import { isTpmHandle, openTpm, tpmConfig } from '../config/tpm.js';
import type { CliIo } from '../io.js';
import type { Command } from './command.js';
import { signingTestString } from './signing-test-string.js';

const FORMATS = ['json', 'text', 'bin'] as const;
const DIGESTS = ['SHA256', 'SHA384', 'SHA512'] as const;

const FLAGS: FlagSpecs = {
  'private-key': {
    ...PRIVATE_KEY_FLAG,
    description: 'private key (or IAMRA_PRIVATE_KEY as PEM text; pkcs11:… on a token)',
  },
  certificate: {
    ...CERTIFICATE_FLAG,
    description:
      "a token key's certificate (file or pkcs11: URI; alone, it names the key beside it); unused with a file key",
  },
  'private-key-passphrase-file': {
    value: true,
    placeholder: 'FILE',
    description: 'file holding the key passphrase (or IAMRA_PRIVATE_KEY_PASSPHRASE)',
  },
  format: { value: true, placeholder: 'json|text|bin', description: 'output format (default json)' },
  digest: { value: true, placeholder: 'SHA256|SHA384|SHA512', description: 'digest (default SHA256)' },
  stdin: { value: false, description: "sign the bytes on stdin instead of aws_signing_helper's fixed test string" },
  debug: { value: false, description: 'accepted for compatibility' },
  ...KEY_STORE_FLAGS,
};

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  const match = allowed.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
  if (!match) throw new IamraError('CONFIG_INVALID', `--${flag} must be one of ${allowed.join(', ')}; got '${value}'`);
  return match;
}

interface OpenedKey {
  signer: KeySigner;
  /** The public key the test string is bound to (a token key's comes from its certificate). */
  publicKey: () => KeyObject;
}

function keySource(flags: ParsedFlags, io: CliIo): Buffer | string | undefined {
  const path = first(flags, 'private-key');
  if (isTpmHandle(path)) return undefined;
  return path !== undefined ? readFileOrFail(path, readFileSync, 'private key') : io.env.IAMRA_PRIVATE_KEY;
}

function fileKey(flags: ParsedFlags, io: CliIo, source: Buffer | string | undefined): OpenedKey {
  if (!source) throw new IamraError('CONFIG_INVALID', 'give --private-key FILE (or IAMRA_PRIVATE_KEY)');
  const passphraseFile = first(flags, 'private-key-passphrase-file');
  const passphrase =
    passphraseFile !== undefined
      ? readFileOrFail(passphraseFile, readFileSync, 'passphrase file')
          .toString('utf8')
          .replace(/\r?\n$/, '')
      : io.env.IAMRA_PRIVATE_KEY_PASSPHRASE || undefined;
  const key = parsePrivateKey(source, passphrase);
  return { signer: fileSigner(key), publicKey: () => key };
}

/** The key from a TPM (handle or TSS2 key file), a token (pkcs11: URIs), a file or IAMRA_PRIVATE_KEY. */
async function openSigner(flags: ParsedFlags, io: CliIo): Promise<OpenedKey> {
  const hardware = hardwareConfig(flags);
  const source = hardware?.privateKey ? undefined : keySource(flags, io);
  const tpm = tpmConfig(flags, source, io.env);
  if (tpm) {
    const signer = await openTpm(tpm, io.env);
    // A TPM key knows its public key (from the key file, or read from the TPM for a handle).
    return { signer, publicKey: () => signer.publicKey as KeyObject };
  }
  const opened = hardware ? await openHardware(hardware, io.env) : undefined;
  if (!opened?.signer) return fileKey(flags, io, source);
  const certificatePath = first(flags, 'certificate');
  const certificate =
    opened.certificate ??
    (certificatePath && !isPkcs11Uri(certificatePath)
      ? readFileOrFail(certificatePath, readFileSync, 'certificate')
      : undefined);
  return {
    signer: opened.signer,
    publicKey: () => {
      if (!certificate) {
        throw new IamraError(
          'CONFIG_INVALID',
          "the test string is bound to the key's public key: give the token key's --certificate (file or pkcs11: URI), or sign stdin with --stdin",
        );
      }
      return new X509Certificate(certificate).publicKey;
    },
  };
}

export const signStringCommand: Command = {
  name: 'sign-string',
  summary: "sign aws_signing_helper's key test string (or stdin) with the private key",
  help: () =>
    renderHelp(
      'iamra sign-string --private-key FILE [--format json|text|bin] [--digest SHA256|SHA384|SHA512] [--stdin < data]',
      'Signs the string aws_signing_helper signs to test a key ("AWS Roles Anywhere Credential Helper Signing Test1"\nand a SHA-256 of the public key), or stdin with --stdin, and prints the signature (hex; raw bytes with --format bin).',
      FLAGS,
    ),
  async run(argv, io) {
    const flags = parseFlags('sign-string', argv, FLAGS);
    const format = oneOf('format', first(flags, 'format'), FORMATS, 'json');
    const digest = oneOf('digest', first(flags, 'digest'), DIGESTS, 'SHA256');
    const { signer, publicKey } = await openSigner(flags, io);
    let signature: Buffer;
    try {
      const data = flags.switches.has('stdin') ? await readStdin(io) : signingTestString(publicKey());
      signature = await signer.sign(data, digest);
    } finally {
      await signer.close();
    }
    if (format === 'bin') io.stdout.write(signature);
    else if (format === 'text') io.stdout.write(signature.toString('hex'));
    else io.stdout.write(JSON.stringify(signature.toString('hex')));
    return 0;
  },
};
