// What every scenario shares: repetitions, the peers, a scratch folder, the emulator with its demo
// PKI, and a way to record figures. The emulator runs in this process (it is idle while a child
// runs, apart from answering that child).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { nodeVersion } from './peers.mjs';

export async function createContext({ root, quick, peers, cpuProf }) {
  const work = mkdtempSync(join(tmpdir(), 'iamra-bench-'));
  const { initDemoPki, startEmulator } = await import('@iamra/emulator');
  const core = await import('@iamra/core');
  const pki = await initDemoPki(join(work, 'pki'));
  const config = JSON.parse(readFileSync(pki.config, 'utf8'));
  const emulator = await startEmulator({ config, configDir: pki.dir, lifetimeMs: 3_600_000 });
  const figures = [];
  let next = 0;
  return {
    root,
    quick,
    peers,
    core,
    pki,
    emulator,
    figures,
    /** Node flags for candidate steps only (a CPU profile when asked for). */
    nodeFlags: cpuProf ? ['--cpu-prof', '--cpu-prof-dir', cpuProf, '--cpu-prof-interval', '100'] : [],
    /** Repetitions of one interleaved comparison (after one dropped warm-up pair). */
    reps: quick ? 8 : 30,
    machine: {
      date: new Date().toISOString(),
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      node: nodeVersion(peers.node20),
      node24: peers.node24 ? nodeVersion(peers.node24) : undefined,
      awsCli: peers.awsVersion,
      goHelper: peers.goHelper ? peers.goHelperVersion : undefined,
      quick,
    },
    pem: (path) => readFileSync(path, 'utf8'),
    rel: (path) => relative(root, path) || '.',
    /** A fresh folder under the scratch folder. */
    dir(label) {
      next += 1;
      const path = join(work, `${label}-${next}`);
      mkdirSync(path, { recursive: true });
      return path;
    },
    record(figure) {
      figures.push(figure);
      return figure;
    },
    async close() {
      await emulator.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** The action's inputs for the emulator's EC leaf (PEM text, as a secret would hold it). */
export function actionInputs(ctx, extra = {}) {
  return {
    certificate: ctx.pem(ctx.pki.ec.certificate),
    'private-key': ctx.pem(ctx.pki.ec.privateKey),
    'certificate-chain': ctx.pem(ctx.pki.ec.chain),
    'trust-anchor-arn': ctx.emulator.trustAnchorArns[0],
    'profile-arn': ctx.emulator.profileArn,
    'role-arn': ctx.emulator.roleArns[0],
    'rolesanywhere-endpoint': ctx.emulator.endpoint,
    ...extra,
  };
}

/** `iamra credential-process` arguments for the emulator's EC leaf (file paths, as users give them). */
export function credentialProcessArgs(ctx, extra = []) {
  return [
    'credential-process',
    '--certificate',
    ctx.pki.ec.certificate,
    '--private-key',
    ctx.pki.ec.privateKey,
    '--intermediates',
    ctx.pki.ec.chain,
    '--trust-anchor-arn',
    ctx.emulator.trustAnchorArns[0],
    '--profile-arn',
    ctx.emulator.profileArn,
    '--role-arn',
    ctx.emulator.roleArns[0],
    '--endpoint',
    ctx.emulator.endpoint,
    ...extra,
  ];
}

export const reproduce = (id) => `npm run bench -- --only=${id}`;
