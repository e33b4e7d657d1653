/**
 * A real software TPM 2.0 for tests: swtpm on loopback (TCP, or a UNIX socket as go-tpm opens
 * it) with its state in a temp directory, killed when the test stops it or the process exits.
 * Restarting on the same state keeps persistent keys, as a reboot does.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { peers } from './peers.js';

const run = promisify(execFile);

export interface RunningSwtpm {
  /** IAMRA_TPM_TCTI / TPM2TOOLS_TCTI value (swtpm:host=…,port=… or swtpm:path=…). */
  tcti: string;
  /** The UNIX socket path, when started with `unixSocket`. */
  socketPath: string | undefined;
  /** Runs a tpm2-tools command against this TPM. */
  tool(name: string, args: string[]): Promise<Buffer>;
  stop(): Promise<void>;
}

export interface SwtpmOptions {
  stateDir: string;
  /** The TPM as the OS leaves it after boot (TPM2_Startup done); else the client must start it. */
  startupClear?: boolean;
  /** A UNIX socket in stateDir instead of TCP (what aws_signing_helper's TPM_DEVICE can open). */
  unixSocket?: boolean;
}

/** Two free consecutive loopback ports: swtpm's command port and its control port (+1). */
async function freePortPair(): Promise<number> {
  const listen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
      });
    });
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const port = await listen(0);
    if (port && port < 65535 && (await listen(port + 1))) return port;
  }
  throw new Error('no two free consecutive loopback ports for swtpm');
}

async function waitFor(ready: () => Promise<boolean>, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`swtpm exited with ${child.exitCode}`);
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('swtpm did not start within 5 s');
}

export async function startSwtpm(options: SwtpmOptions): Promise<RunningSwtpm> {
  const flags = ['not-need-init', ...(options.startupClear ? ['startup-clear'] : [])].join(',');
  const socketPath = options.unixSocket ? join(options.stateDir, 'swtpm.sock') : undefined;
  const port = socketPath ? 0 : await freePortPair();
  const server = socketPath ? `type=unixio,path=${socketPath}` : `type=tcp,port=${port},bindaddr=127.0.0.1`;
  const control = socketPath ? `type=unixio,path=${socketPath}.ctrl` : `type=tcp,port=${port + 1},bindaddr=127.0.0.1`;
  const child = spawn(
    peers.swtpm(),
    [
      'socket',
      '--tpm2',
      '--tpmstate',
      `dir=${options.stateDir}`,
      '--server',
      server,
      '--ctrl',
      control,
      '--flags',
      flags,
    ],
    { stdio: 'ignore' },
  );
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const tcti = socketPath ? `swtpm:path=${socketPath}` : `swtpm:host=127.0.0.1,port=${port}`;
  const tool = async (name: string, args: string[]) => {
    const { stdout } = await run(join(peers.tpm2Tools(), name), args, {
      env: { ...process.env, TPM2TOOLS_TCTI: tcti },
      timeout: 60_000,
      encoding: 'buffer',
    });
    return stdout;
  };
  const probe = socketPath ? async () => existsSync(socketPath) : () => accepts(port);
  await waitFor(probe, child);
  return {
    tcti,
    socketPath,
    tool,
    async stop() {
      process.off('exit', kill);
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('error', () => resolve(false));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
  });
}
