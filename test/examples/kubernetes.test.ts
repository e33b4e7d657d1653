/**
 * examples/kubernetes/sidecar.yaml as it runs: the sidecar's own args (the files and ARNs swapped
 * for this machine's, the port for a free one) start a real `iamra serve`, the app's env must be
 * what that serve prints, and the SDK v3 and botocore get credentials with the app's env alone.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type RunningEmulator, startEmulator } from '@iamra/emulator';
import { parse } from 'yaml';
import { isolatedAwsEnv, peers, repoRoot } from '../support/peers.js';
import { makePki, testDir } from '../support/pki.js';
import { startServeProcess } from '../support/serve-process.js';

const run = promisify(execFile);

interface Container {
  name: string;
  args?: string[];
  env?: { name: string; value: string }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  restartPolicy?: string;
}
interface PodSpec {
  initContainers: Container[];
  containers: Container[];
  volumes: { name: string; csi?: { driver: string } }[];
}

const manifest = parse(readFileSync(join(repoRoot, 'examples', 'kubernetes', 'sidecar.yaml'), 'utf8')) as {
  spec: { template: { spec: PodSpec } };
};
const pod = manifest.spec.template.spec;
const sidecar = pod.initContainers.find((container) => container.name === 'iamra') as Container;
const app = pod.containers[0] as Container;
const appEnv = Object.fromEntries((app.env ?? []).map((entry) => [entry.name, entry.value]));

describe('Kubernetes sidecar example', function () {
  this.timeout(120_000);
  const pki = makePki({ subjectPrefix: 'k8s' });
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator({ cas: [pki.root.certPem], lifetimeMs: 115_000 });
  });
  after(() => emulator.stop());

  it('mounts the key in the sidecar only, a native sidecar, the token volume read-only in the app', () => {
    const csi = pod.volumes.find((volume) => volume.csi?.driver === 'csi.cert-manager.io');
    assert.ok(csi, 'a cert-manager CSI volume');
    assert.ok(sidecar.volumeMounts?.some((mount) => mount.name === csi.name));
    assert.ok(!app.volumeMounts?.some((mount) => mount.name === csi.name), 'the app never sees the key');
    assert.equal(sidecar.restartPolicy, 'Always');
    assert.ok(app.volumeMounts?.some((mount) => mount.mountPath === '/run/iamra' && mount.readOnly));
  });

  it("the sidecar's args serve what the app's env expects, and clients use it with that env", async () => {
    const runDir = testDir();
    const swap: Record<string, string> = {
      '/tls/tls.crt': pki.ecLeaf.certPath,
      '/tls/tls.key': pki.ecLeaf.keyPath,
      '/run/iamra/token': join(runDir, 'token'),
    };
    const args = (sidecar.args ?? []).slice(1).map((arg) => {
      const [flag, value = ''] = arg.split(/=(.*)/s);
      if (flag === '--port') return '--port=0';
      if (flag === '--trust-anchor-arn') return `${flag}=${emulator.trustAnchorArns[0]}`;
      if (flag === '--profile-arn') return `${flag}=${emulator.profileArn}`;
      if (flag === '--role-arn') return `${flag}=${emulator.roleArns[0]}`;
      return swap[value] ? `${flag}=${swap[value]}` : arg;
    });
    assert.equal(sidecar.args?.[0], 'serve');
    const serve = await startServeProcess([
      ...args,
      '--intermediates',
      pki.intermediate.certPath,
      '--endpoint',
      emulator.endpoint,
    ]);
    try {
      const port = new URL(serve.env.AWS_CONTAINER_CREDENTIALS_FULL_URI ?? '').port;
      assert.equal(
        serve.env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
        appEnv.AWS_CONTAINER_CREDENTIALS_FULL_URI?.replace('9911', port),
      );
      assert.equal(
        serve.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE,
        swap[appEnv.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ?? ''],
      );
      const env = isolatedAwsEnv(testDir(), {
        ...appEnv,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: serve.env.AWS_CONTAINER_CREDENTIALS_FULL_URI ?? '',
        AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: serve.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ?? '',
        AWS_DEFAULT_REGION: appEnv.AWS_REGION ?? '',
      });
      const sdk = `
        import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
        const client = new STSClient({ endpoint: '${emulator.stsEndpoint}' });
        console.log((await client.send(new GetCallerIdentityCommand({}))).Account);`;
      const fromSdk = await run(process.execPath, ['--input-type=module', '-e', sdk], {
        env: { ...env, NODE_NO_WARNINGS: '1' },
        cwd: repoRoot,
      });
      assert.equal(fromSdk.stdout.trim(), '123456789012');
      const boto = `import botocore.session\nprint(botocore.session.get_session().create_client("sts", endpoint_url="${emulator.stsEndpoint}").get_caller_identity()["Account"])`;
      const fromBotocore = await run(peers.python(), ['-c', boto], { env });
      assert.equal(fromBotocore.stdout.trim(), '123456789012');
    } finally {
      await serve.stop();
    }
  });
});
