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

  it('node-forge is past its 2025 ASN.1 advisories (>= 1.3.2)', () => {
    assert.ok(atLeast(installedVersion('node-forge'), '1.3.2'), installedVersion('node-forge'));
  });

  it('the GitHub Action bundles no third-party runtime code but what core needs', () => {
    assert.deepEqual(production['github-action'], {});
  });
});
