/** TPM 2.0 marshalling (big-endian, TPM2B = u16 size + bytes), Part 2 of the TPM library spec. */
import { IamraError } from '../errors.js';

export class TpmWriter {
  private readonly parts: Buffer[] = [];

  u8(value: number): this {
    this.parts.push(Buffer.from([value & 0xff]));
    return this;
  }

  u16(value: number): this {
    const part = Buffer.alloc(2);
    part.writeUInt16BE(value);
    this.parts.push(part);
    return this;
  }

  u32(value: number): this {
    const part = Buffer.alloc(4);
    part.writeUInt32BE(value >>> 0);
    this.parts.push(part);
    return this;
  }

  bytes(value: Uint8Array): this {
    this.parts.push(Buffer.from(value));
    return this;
  }

  /** A TPM2B: its size, then its bytes. */
  sized(value: Uint8Array): this {
    return this.u16(value.length).bytes(value);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

function truncated(): IamraError {
  return new IamraError('TPM_FAILED', 'the TPM sent a truncated response; check the TPM device or simulator');
}

export class TpmReader {
  private offset = 0;

  constructor(
    private readonly buffer: Buffer,
    private readonly fail: () => IamraError = truncated,
  ) {}

  private take(length: number): Buffer {
    if (this.offset + length > this.buffer.length) throw this.fail();
    const part = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return part;
  }

  u8(): number {
    return this.take(1).readUInt8(0);
  }

  u16(): number {
    return this.take(2).readUInt16BE(0);
  }

  u32(): number {
    return this.take(4).readUInt32BE(0);
  }

  /** A TPM2B's bytes (without its size). */
  sized(): Buffer {
    return this.take(this.u16());
  }

  rest(): Buffer {
    return this.take(this.buffer.length - this.offset);
  }

  get done(): boolean {
    return this.offset === this.buffer.length;
  }
}
