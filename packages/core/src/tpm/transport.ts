/**
 * Sends one TPM command and returns its response: through the character device (one write, one
 * read, as the kernel's TPM driver wants) or a socket to a TPM simulator speaking raw TPM
 * commands (swtpm's server port; a UNIX socket path given as a device works too, as with go-tpm).
 */
import { type FileHandle, open, stat } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { IamraError } from '../errors.js';
import { describeTcti, type TctiConfig } from './tcti.js';

export interface TpmTransport {
  send(command: Buffer): Promise<Buffer>;
  close(): Promise<void>;
  readonly description: string;
}

/** The largest TPM response (TPM2_PT_MAX_RESPONSE_SIZE is 4096 on the TPMs we know). */
const MAX_RESPONSE = 8192;
const HEADER = 10;

function unavailable(where: string, error: unknown): IamraError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const hint =
    code === 'EACCES'
      ? 'the user cannot open it: add it to the tss group (or run where the device is readable)'
      : code === 'EBUSY'
        ? 'another process holds it: use /dev/tpmrm0 (the kernel resource manager) instead of /dev/tpm0'
        : 'check that the TPM is enabled or the simulator is running';
  return new IamraError('TPM_UNAVAILABLE', `cannot reach the TPM at ${where}${code ? ` (${code})` : ''}; ${hint}`, {
    cause: error,
  });
}

function deviceTransport(path: string, handle: FileHandle): TpmTransport {
  return {
    description: path,
    async send(command) {
      await handle.write(command);
      const response = Buffer.alloc(MAX_RESPONSE);
      const { bytesRead } = await handle.read(response, 0, MAX_RESPONSE, null);
      return response.subarray(0, bytesRead);
    },
    close: () => handle.close(),
  };
}

/** Reads exactly one response off the socket: a 10-byte header whose size field gives the rest. */
function socketTransport(socket: Socket, description: string, timeoutMs: number): TpmTransport {
  let pending: Buffer = Buffer.alloc(0);
  // Between commands nobody listens: a reset then must not become an uncaught 'error' event.
  socket.on('error', () => undefined);
  return {
    description,
    send(command) {
      return new Promise<Buffer>((resolve, reject) => {
        const timer = setTimeout(
          () => finish(new IamraError('TIMEOUT', `the TPM at ${description} did not answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const finish = (error?: unknown, response?: Buffer) => {
          clearTimeout(timer);
          socket.off('data', onData).off('error', finish).off('close', onClose);
          if (response) resolve(response);
          else reject(error instanceof IamraError ? error : unavailable(description, error));
        };
        const onData = (chunk: Buffer) => {
          pending = Buffer.concat([pending, chunk]);
          if (pending.length < HEADER) return;
          const size = pending.readUInt32BE(2);
          if (size < HEADER || size > MAX_RESPONSE)
            return finish(new IamraError('TPM_FAILED', `the TPM at ${description} sent a malformed response`));
          if (pending.length < size) return;
          const response = pending.subarray(0, size);
          pending = pending.subarray(size);
          finish(undefined, response);
        };
        const onClose = () => finish(new Error('the connection closed'));
        socket.on('data', onData).on('error', finish).on('close', onClose);
        socket.write(command);
      });
    },
    close: async () => {
      socket.destroy();
    },
  };
}

function openSocket(
  options: { path: string } | { host: string; port: number },
  description: string,
  timeoutMs: number,
): Promise<TpmTransport> {
  return new Promise((resolve, reject) => {
    const socket = connect(options);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new IamraError(
          'TPM_UNAVAILABLE',
          `cannot reach the TPM at ${description} (no answer within ${timeoutMs} ms); check that the simulator is running`,
        ),
      );
    }, timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(unavailable(description, error));
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socketTransport(socket, description, timeoutMs));
    });
  });
}

export async function openTransport(config: TctiConfig, timeoutMs = 30_000): Promise<TpmTransport> {
  const description = describeTcti(config);
  if (config.kind === 'socket') return openSocket(config, description, timeoutMs);
  try {
    // go-tpm's way: a TPM_DEVICE that is a UNIX socket is a simulator, not a device.
    if ((await stat(config.path)).isSocket()) return openSocket({ path: config.path }, description, timeoutMs);
    return deviceTransport(config.path, await open(config.path, 'r+'));
  } catch (error) {
    if (error instanceof IamraError) throw error;
    throw unavailable(description, error);
  }
}
