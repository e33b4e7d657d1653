/** Reads all of stdin (for "-" inputs and sign-string). */
import { IamraError } from '@iamra/core/light';
import type { CliIo } from '../io.js';

export async function readStdin(io: CliIo): Promise<Buffer> {
  if (!io.stdin) throw new IamraError('CONFIG_INVALID', 'stdin is not available for "-"');
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
