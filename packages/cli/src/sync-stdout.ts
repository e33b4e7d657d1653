/**
 * Standard output written straight to fd 1: process.stdout builds a stream (a pipe's socket, a
 * few ms of start-up) to print what is, for credential_process, one short line. A write that
 * cannot complete (a full non-blocking pipe: EAGAIN, or a closed one) goes to the stream, and so
 * does every write after it, so the output keeps its order.
 */
import { writeSync } from 'node:fs';

export interface StdoutWriter {
  write(chunk: string | Uint8Array): boolean;
}

export function createStdoutWriter(fd = 1, fallback: () => NodeJS.WritableStream = () => process.stdout): StdoutWriter {
  let streaming = false;
  return {
    write(chunk) {
      if (streaming) return fallback().write(chunk);
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      let written = 0;
      try {
        while (written < bytes.length) written += writeSync(fd, bytes, written);
        return true;
      } catch {
        streaming = true;
        return fallback().write(bytes.subarray(written));
      }
    },
  };
}
