/**
 * Every certificate a pkcs11: URI matches, with a URI naming each: what the Go helper's
 * read-certificate-data prints for a pkcs11: certificate, so users find the URI to configure.
 */
import { findModulePath, loadBinding } from './module.js';
import { TokenSession } from './token.js';
import { parsePkcs11Uri } from './uri.js';

export interface TokenCertificate {
  der: Buffer;
  /** The certificate's own URI (token facts, id, label; never a PIN). */
  uri: string;
}

/** RFC 7512 percent-encoding as the Go helper's URI library writes it (CKA_ID: every byte). */
function encode(value: Buffer, everyByte: boolean): string {
  let text = '';
  for (const byte of value) {
    const char = String.fromCharCode(byte);
    const plain = /[A-Za-z0-9\-._~:[\]@!$'()*+,=&]/.test(char);
    text += !everyByte && plain ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return text;
}

const trimmed = (value: string) => Buffer.from(value.replace(/[\s\0]+$/, ''), 'utf8');

export async function listPkcs11Certificates(options: {
  certificate: string;
  modulePath?: string | undefined;
  importBinding?: () => Promise<unknown>;
}): Promise<TokenCertificate[]> {
  const uri = parsePkcs11Uri(options.certificate);
  const binding = await loadBinding(options.importBinding);
  const modulePath = findModulePath(options.modulePath ?? uri.modulePath);
  const found: TokenCertificate[] = [];
  for (const token of TokenSession.openAll(binding, modulePath, uri)) {
    try {
      for (const handle of token.find(binding.CKO_CERTIFICATE, uri)) {
        const der = token.attribute(handle, binding.CKA_VALUE);
        if (!der) continue;
        const id = token.attribute(handle, binding.CKA_ID);
        const label = token.attribute(handle, binding.CKA_LABEL);
        const { token: info, info: slot } = token.facts;
        const path = [
          'type=cert',
          `model=${encode(trimmed(info.model), false)}`,
          `manufacturer=${encode(trimmed(info.manufacturerID), false)}`,
          `serial=${encode(trimmed(info.serialNumber), false)}`,
          `slot-description=${encode(trimmed(slot.slotDescription), false)}`,
          `slot-manufacturer=${encode(trimmed(slot.manufacturerID), false)}`,
          ...(id?.length ? [`id=${encode(id, true)}`] : []),
          ...(label?.length ? [`object=${encode(label, false)}`] : []),
        ];
        found.push({ der, uri: `pkcs11:${path.join(';')}` });
      }
    } finally {
      token.close();
    }
  }
  return found;
}
