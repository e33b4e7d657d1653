/** Everything a command touches outside itself, injectable for tests. */
import type { HelperConfig } from './config/load.js';

export interface CliIo {
  /** Text, except `sign-string --format bin`, which writes raw bytes. */
  stdout: { write(chunk: string | Uint8Array): unknown };
  stderr: { write(text: string): unknown };
  stdin?: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /** The platform written profiles run on (quoting, launcher); default process.platform. */
  platform?: NodeJS.Platform;
  /** Aborted on SIGINT/SIGTERM by the bin; long-running commands stop on it. */
  signal?: AbortSignal;
  /**
   * credential-process's config when a warm-cache attempt already loaded it from these argv and
   * env and missed: used as is, so a cold call reads its files and hashes its cache key once.
   */
  credentialConfig?: HelperConfig;
}
