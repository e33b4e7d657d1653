/**
 * The TPM 2.0 commands iamra sends, marshalled by hand: Startup (a simulator that was just powered
 * on), CreatePrimary (the parent of a key file), Load, ReadPublic, Sign and FlushContext.
 * Authorisation is the password session (TPM_RS_PW), as the Go helper and tpm2-tools use it.
 */
import { IamraError } from '../errors.js';
import { TPM_CC, TPM_RH, TPM_ST, TPM_SU_CLEAR } from './constants.js';
import { isRetryWarning, TPM_RC_INITIALIZE, TPM_RC_SUCCESS, tpmResponseError } from './response-code.js';
import type { TpmTransport } from './transport.js';
import { TpmReader, TpmWriter } from './wire.js';

const MAX_RETRIES = 3;

interface Command {
  code: number;
  action: string;
  handles?: number[];
  /** Present: the command carries one password session with this authValue. */
  password?: Buffer;
  parameters?: Buffer;
}

function passwordSession(password: Buffer): Buffer {
  const session = new TpmWriter()
    .u32(TPM_RH.PASSWORD)
    .sized(Buffer.alloc(0)) // nonceCaller
    .u8(0) // sessionAttributes
    .sized(password)
    .toBuffer();
  return new TpmWriter().u32(session.length).bytes(session).toBuffer();
}

export function marshalCommand(command: Command): Buffer {
  const body = new TpmWriter();
  for (const handle of command.handles ?? []) body.u32(handle);
  if (command.password) body.bytes(passwordSession(command.password));
  body.bytes(command.parameters ?? Buffer.alloc(0));
  const rest = body.toBuffer();
  return new TpmWriter()
    .u16(command.password ? TPM_ST.SESSIONS : TPM_ST.NO_SESSIONS)
    .u32(10 + rest.length)
    .u32(command.code)
    .bytes(rest)
    .toBuffer();
}

export interface Response {
  code: number;
  /** What follows the header (handles, parameterSize when sessions were sent, parameters). */
  body: TpmReader;
}

export function parseResponse(response: Buffer): Response {
  const reader = new TpmReader(response);
  reader.u16(); // tag
  const size = reader.u32();
  if (size !== response.length) {
    throw new IamraError('TPM_FAILED', 'the TPM sent a response of the wrong size; check the TPM device or simulator');
  }
  return { code: reader.u32(), body: reader };
}

/** One TPM connection: runs commands, starting a simulator up when it asks for TPM2_Startup. */
export class TpmClient {
  private started = false;

  constructor(private readonly transport: TpmTransport) {}

  get description(): string {
    return this.transport.description;
  }

  async run(command: Command): Promise<TpmReader> {
    const bytes = marshalCommand(command);
    for (let attempt = 0; ; attempt += 1) {
      const { code, body } = parseResponse(await this.transport.send(bytes));
      if (code === TPM_RC_SUCCESS) return body;
      if (code === TPM_RC_INITIALIZE && !this.started && command.code !== TPM_CC.Startup) {
        await this.startup();
        continue;
      }
      if (isRetryWarning(code) && attempt < MAX_RETRIES) continue;
      throw tpmResponseError(code, command.action);
    }
  }

  /** TPM2_Startup(CLEAR): needed once after a simulator's power-on (the OS does it for a real TPM). */
  async startup(): Promise<void> {
    this.started = true;
    const parameters = new TpmWriter().u16(TPM_SU_CLEAR).toBuffer();
    const { code } = parseResponse(
      await this.transport.send(marshalCommand({ code: TPM_CC.Startup, action: 'start up', parameters })),
    );
    // TPM_RC_INITIALIZE here means it was started meanwhile.
    if (code !== TPM_RC_SUCCESS && code !== TPM_RC_INITIALIZE) throw tpmResponseError(code, 'start up');
  }

  /** A primary key under `hierarchy` from `template` (a TPMT_PUBLIC); returns its transient handle. */
  async createPrimary(hierarchy: number, template: Buffer): Promise<number> {
    const emptySensitive = new TpmWriter().sized(Buffer.alloc(0)).sized(Buffer.alloc(0)).toBuffer();
    const parameters = new TpmWriter()
      .sized(emptySensitive) // inSensitive: no userAuth, no data
      .sized(template) // inPublic
      .sized(Buffer.alloc(0)) // outsideInfo
      .u32(0) // creationPCR: no PCRs
      .toBuffer();
    const body = await this.run({
      code: TPM_CC.CreatePrimary,
      action: 'create the parent key',
      handles: [hierarchy],
      password: Buffer.alloc(0),
      parameters,
    });
    return body.u32();
  }

  /** Loads a key's TPM2B_PRIVATE and TPM2B_PUBLIC (as a key file holds them) under `parent`. */
  async load(parent: number, privateBlob: Buffer, publicBlob: Buffer): Promise<number> {
    const body = await this.run({
      code: TPM_CC.Load,
      action: 'load the key',
      handles: [parent],
      password: Buffer.alloc(0),
      parameters: Buffer.concat([privateBlob, publicBlob]),
    });
    return body.u32();
  }

  /** The TPMT_PUBLIC of a loaded or persistent object. */
  async readPublic(handle: number): Promise<Buffer> {
    const body = await this.run({ code: TPM_CC.ReadPublic, action: 'read the key', handles: [handle] });
    return body.sized();
  }

  /** Signs `digest` with `scheme`/`hash`; returns the TPMT_SIGNATURE's reader. */
  async sign(handle: number, password: Buffer, digest: Buffer, scheme: number, hash: number): Promise<TpmReader> {
    const parameters = new TpmWriter()
      .sized(digest)
      .u16(scheme)
      .u16(hash)
      .u16(TPM_ST.HASHCHECK) // validation: a NULL ticket (the key is not restricted)
      .u32(TPM_RH.NULL)
      .sized(Buffer.alloc(0))
      .toBuffer();
    const body = await this.run({ code: TPM_CC.Sign, action: 'sign', handles: [handle], password, parameters });
    body.u32(); // parameterSize
    return body;
  }

  /** Frees a transient object; failures are ignored (the connection closes next). */
  async flush(handle: number): Promise<void> {
    const parameters = new TpmWriter().u32(handle).toBuffer();
    await this.run({ code: TPM_CC.FlushContext, action: 'flush a key', parameters }).catch(() => undefined);
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
