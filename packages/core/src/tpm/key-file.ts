/**
 * A TSS2 PRIVATE KEY PEM (draft-bottomley-tpm2-keys, as tpm2-tss-engine, tpm2-openssl,
 * openssl_tpm2_engine and tpm2_encodeobject write it): a key wrapped by its parent, loadable
 * only into the TPM that made it. The Go helper's subset: loadable keys without policies.
 */
import { IamraError } from '../errors.js';
import { children, decodeOid, readNode } from '../material/der.js';
import { pemBlocks } from '../material/pem.js';
import { isPersistentHandle, TPM_RH } from './constants.js';

export const TSS2_PEM_LABEL = 'TSS2 PRIVATE KEY';
const LOADABLE_KEY_OID = '2.23.133.10.1.3';
const PARENT_HIERARCHIES = new Set<number>([TPM_RH.OWNER, TPM_RH.NULL, TPM_RH.ENDORSEMENT, TPM_RH.PLATFORM]);

export interface Tss2Key {
  /** The key has no password (emptyAuth TRUE). */
  emptyAuth: boolean;
  /** A hierarchy (the parent is its standard primary key) or a persistent handle. */
  parent: number;
  /** TPM2B_PUBLIC and TPM2B_PRIVATE, with their size prefixes, as TPM2_Load takes them. */
  publicBlob: Buffer;
  privateBlob: Buffer;
}

function invalid(what: string): IamraError {
  return new IamraError(
    'TPM_KEY_INVALID',
    `the TPM key file is not usable (${what}); give a TSS2 PRIVATE KEY made by tpm2-openssl, tpm2-tss-engine or tpm2_encodeobject`,
  );
}

export function isTss2Pem(text: string): boolean {
  return text.includes(`-----BEGIN ${TSS2_PEM_LABEL}-----`);
}

/** A TPM2B blob whose size prefix matches its length. */
function checkedBlob(bytes: Buffer, what: string): Buffer {
  if (bytes.length < 2 || bytes.readUInt16BE(0) !== bytes.length - 2) throw invalid(`${what} has a wrong length`);
  return bytes;
}

function unsigned(bytes: Buffer): number {
  if (bytes.length === 0 || bytes.length > 5) throw invalid('the parent is not a handle');
  return bytes.reduce((value, byte) => value * 256 + byte, 0);
}

function readStructure(der: Buffer): Tss2Key {
  const root = readNode(der);
  if (root.tag !== 0x30 || root.end !== der.length) throw invalid('not a DER SEQUENCE');
  const fields = children(root);
  const oid = fields.shift();
  if (oid?.tag !== 0x06) throw invalid('no key type');
  if (decodeOid(oid.value) !== LOADABLE_KEY_OID) {
    throw invalid('an importable or sealed key; only loadable keys (2.23.133.10.1.3) sign');
  }
  let emptyAuth = false;
  while (fields[0] && (fields[0].tag & 0xe0) === 0xa0) {
    const tagged = fields.shift();
    if (tagged?.tag === 0xa0) {
      const flag = children(tagged)[0];
      if (flag?.tag !== 0x01 || flag.value.length !== 1) throw invalid('emptyAuth is not a BOOLEAN');
      // Older engines wrote TRUE as 01, not DER's FF: any non-zero byte is TRUE.
      emptyAuth = flag.value[0] !== 0;
    } else if (tagged?.tag === 0xa1 || tagged?.tag === 0xa3) {
      throw invalid('the key has a TPM policy, which iamra (like aws_signing_helper) does not support');
    } else if (tagged?.tag === 0xa2) {
      throw invalid("the key has a 'secret' field, which a loadable key must not have");
    }
  }
  const [parent, pubkey, privkey] = fields;
  if (parent?.tag !== 0x02 || pubkey?.tag !== 0x04 || privkey?.tag !== 0x04) {
    throw invalid('parent, public or private part missing');
  }
  const parentHandle = unsigned(parent.value);
  if (!isPersistentHandle(parentHandle) && !PARENT_HIERARCHIES.has(parentHandle)) {
    throw invalid('its parent is neither a hierarchy nor a persistent key');
  }
  return {
    emptyAuth,
    parent: parentHandle,
    publicBlob: checkedBlob(pubkey.value, 'the public part'),
    privateBlob: checkedBlob(privkey.value, 'the private part'),
  };
}

export function parseTss2Key(text: string): Tss2Key {
  const block = pemBlocks(text).find((candidate) => candidate.label === TSS2_PEM_LABEL);
  if (!block || block.der.length === 0) throw invalid('no TSS2 PRIVATE KEY block with valid base64');
  try {
    return readStructure(block.der);
  } catch (error) {
    if (error instanceof IamraError && error.code === 'TPM_KEY_INVALID') throw error;
    throw invalid('malformed DER');
  }
}
