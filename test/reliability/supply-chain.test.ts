/** Production dependencies are the ones the README names, at versions past their known advisories. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/peers.js';

function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;
}

function atLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i += 1) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

describe('supply chain', () => {
  const production: Record<string, Record<string, string>> = {};
  for (const name of ['core', 'emulator', 'cli', 'github-action', 'azure-task']) {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'packages', name, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    production[name] = Object.fromEntries(
      Object.entries(pkg.dependencies ?? {}).filter(([dep]) => !dep.startsWith('@iamra/')),
    );
  }

  it('has exactly the production dependencies the README lists', () => {
    const all = new Set(Object.values(production).flatMap((deps) => Object.keys(deps)));
    assert.deepEqual([...all].sort(), ['@peculiar/x509', 'azure-pipelines-task-lib', 'node-forge', 'reflect-metadata']);
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    for (const dep of all) assert.ok(readme.includes(`\`${dep}\``), `README names ${dep}`);
  });

  /**
   * 1.4.0 fixed the 2026 advisories CVE-2026-33891, -33894, -33895 and -33896 (the last a
   * basicConstraints bypass in chain verification, CVSS 9.1), on top of 1.3.2's 2025 ASN.1 fixes
   * (GHSA-554w-wpv2-vw27, GHSA-5gfm-wpxj-wjgq, GHSA-65ch-62r8-g69g). The floor is 1.4.3, the
   * version the bundles are built and tested with: nothing older may be installed, locked or allowed.
   */
  const FORGE_FLOOR = '1.4.3';

  it(`node-forge is past its 2025 and 2026 advisories (>= ${FORGE_FLOOR}) where installed, locked and declared`, () => {
    assert.ok(atLeast(installedVersion('node-forge'), FORGE_FLOOR), installedVersion('node-forge'));
    const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string }>;
    };
    const locked = Object.entries(lock.packages).filter(([path]) => path.endsWith('node_modules/node-forge'));
    assert.ok(locked.length > 0);
    for (const [path, entry] of locked)
      assert.ok(atLeast(entry.version ?? '0', FORGE_FLOOR), `${path} ${entry.version}`);
    const declared = production.core?.['node-forge'] ?? '';
    assert.ok(atLeast(declared.replace(/^[\^~>=]+/, ''), FORGE_FLOOR), `packages/core declares ${declared}`);
  });

  it('the GitHub Action bundles no third-party runtime code but what core needs', () => {
    assert.deepEqual(production['github-action'], {});
  });
});
