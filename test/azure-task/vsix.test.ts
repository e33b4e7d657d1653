/**
 * The Marketplace package as built by `npm run package` (tfx-cli): what the .vsix (a zip) holds,
 * what its manifests declare, and that package.json, task.json and vss-extension.json agree.
 * Needs the task bundles (npm run build), like every test of the built task.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TASK_DIR } from '../support/azure-agent.js';
import { repoRoot } from '../support/peers.js';
import { testDir } from '../support/pki.js';

const run = promisify(execFile);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

interface TaskJson {
  version: { Major: number; Minor: number; Patch: number };
  minimumAgentVersion: string;
  execution: Record<string, unknown>;
  postjobexecution: Record<string, unknown>;
  inputs: { name: string; type: string }[];
}

function atLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i += 1) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

describe('the .vsix', function () {
  this.timeout(180_000);
  const version = (readJson(join(repoRoot, 'package.json')) as { version: string }).version;
  let vsix: string;
  let entries: string[];
  const entry = async (name: string) =>
    (await run('unzip', ['-p', vsix, name], { encoding: 'buffer', maxBuffer: 4 << 20 })).stdout;

  before(async () => {
    const out = testDir();
    await run(process.execPath, [join(repoRoot, 'scripts', 'package-vsix.mjs'), '--out', out], { cwd: repoRoot });
    const name = readdirSync(out).find((file) => file.endsWith('.vsix'));
    assert.ok(name, 'a .vsix was written');
    vsix = join(out, name);
    const { stdout } = await run('zipinfo', ['-1', vsix]);
    entries = stdout.split('\n').filter(Boolean);
  });

  it('package.json, task.json and vss-extension.json versions are in step', () => {
    const task = readJson(join(TASK_DIR, 'task.json')) as TaskJson;
    assert.equal(`${task.version.Major}.${task.version.Minor}.${task.version.Patch}`, version);
    assert.equal((readJson(join(repoRoot, 'vss-extension.json')) as { version: string }).version, version);
  });

  it('holds the task bundles, the overview, the license, the icon and the third-party notices', () => {
    for (const name of [
      'extension.vsixmanifest',
      'extension.vsomanifest',
      'marketplace/overview.md',
      'LICENSE',
      'images/extension-icon.png',
      'tasks/RolesAnywhereCredentialsV1/task.json',
      'tasks/RolesAnywhereCredentialsV1/icon.png',
      'tasks/RolesAnywhereCredentialsV1/main/index.js',
      'tasks/RolesAnywhereCredentialsV1/main/task.js',
      'tasks/RolesAnywhereCredentialsV1/post/index.js',
      'tasks/RolesAnywhereCredentialsV1/cli/index.js',
      'tasks/RolesAnywhereCredentialsV1/cli/cli.js',
      'tasks/RolesAnywhereCredentialsV1/THIRD-PARTY-NOTICES.txt',
    ]) {
      assert.ok(entries.includes(name), `${name} in the .vsix`);
    }
    const stray = entries.filter((name) =>
      /\.(ts|map)$|node_modules\/|(^|\/)test\/|\.taskkey$|\.code-cache\//.test(name),
    );
    assert.deepEqual(stray, [], 'no sources, maps, node_modules, tests, code caches or leftovers');
  });

  it('declares the overview and the license as Marketplace assets', async () => {
    const manifest = (await entry('extension.vsixmanifest')).toString('utf8');
    assert.match(
      manifest,
      /Type="Microsoft\.VisualStudio\.Services\.Content\.Details"[^>]*Path="marketplace\/overview\.md"/,
    );
    assert.match(manifest, /Type="Microsoft\.VisualStudio\.Services\.Content\.License"[^>]*Path="LICENSE"/);
    assert.match(
      manifest,
      /Type="Microsoft\.VisualStudio\.Services\.Icons\.Default"[^>]*Path="images\/extension-icon\.png"/,
    );
    assert.match(manifest, new RegExp(`<Identity [^>]*Version="${version.replace(/\./g, '\\.')}"`));
    assert.match((await entry('LICENSE')).toString('utf8'), /Apache License\s+Version 2\.0/);
    assert.match((await entry('marketplace/overview.md')).toString('utf8'), /rolesAnywhereConnection/);
  });

  it('has a 128x128 PNG icon', async () => {
    const png = await entry('images/extension-icon.png');
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  });

  it("reproduces the bundled packages' licenses, node-forge's BSD-3-Clause among them", async () => {
    const notices = (await entry('tasks/RolesAnywhereCredentialsV1/THIRD-PARTY-NOTICES.txt')).toString('utf8');
    assert.match(
      notices,
      /^node-forge \d+\.\d+\.\d+\nLicense: \(BSD-3-Clause OR GPL-2\.0\), used under BSD-3-Clause$/m,
    );
    assert.match(notices, /Redistribution and use in source and binary forms/);
    assert.match(notices, /^azure-pipelines-task-lib \d+\.\d+\.\d+\nLicense: MIT$/m);
  });

  it('contributes the IAM Roles Anywhere service connection type and the task', async () => {
    const manifest = JSON.parse((await entry('extension.vsomanifest')).toString('utf8')) as {
      contributions: { type: string; properties: Record<string, unknown> }[];
    };
    const endpoint = manifest.contributions.find((c) => c.type === 'ms.vss-endpoint.service-endpoint-type');
    assert.equal(endpoint?.properties.name, 'iamra-rolesanywhere');
    const schemes = endpoint?.properties.authenticationSchemes as {
      inputDescriptors: { id: string; isConfidential: boolean; validation: { isRequired: boolean } }[];
    }[];
    const auth = Object.fromEntries(schemes[0]?.inputDescriptors.map((d) => [d.id, d]) ?? []);
    assert.deepEqual(Object.keys(auth).sort(), ['certificate', 'passphrase', 'privateKey']);
    assert.equal(auth.privateKey?.isConfidential, true);
    assert.equal(auth.passphrase?.isConfidential, true);
    assert.equal(auth.passphrase?.validation.isRequired, false);
    const data = (endpoint?.properties.inputDescriptors as { id: string }[]).map((d) => d.id);
    assert.deepEqual(data, ['trustAnchorArn', 'profileArn', 'roleArn', 'region']);
    assert.ok(manifest.contributions.some((c) => c.type === 'ms.vss-distributed-task.task'));
    const task = JSON.parse((await entry('tasks/RolesAnywhereCredentialsV1/task.json')).toString('utf8')) as TaskJson;
    assert.ok(
      task.inputs.some(
        (i) => i.name === 'rolesAnywhereConnection' && i.type === 'connectedService:iamra-rolesanywhere',
      ),
    );
  });

  it('runs on Node24 where the agent has it and Node20_1 before (minimumAgentVersion 3.232.1)', async () => {
    const task = JSON.parse((await entry('tasks/RolesAnywhereCredentialsV1/task.json')).toString('utf8')) as TaskJson;
    // The agent picks the highest handler it has: Node24 from agent 4.265.1, Node20_1 from 3.232.1.
    // Requiring 4.265.1 would force-upgrade (or break, on Azure DevOps Server) agents the task runs on.
    assert.deepEqual(Object.keys(task.execution).sort(), ['Node20_1', 'Node24']);
    assert.deepEqual(Object.keys(task.postjobexecution).sort(), ['Node20_1', 'Node24']);
    assert.equal(task.minimumAgentVersion, '3.232.1');
    assert.ok(atLeast(task.minimumAgentVersion, '3.232.1'));
  });
});
