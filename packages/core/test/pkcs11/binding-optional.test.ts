/**
 * pkcs11js is an optional dependency with a native build: npm drops it when that build fails.
 * Nothing may then stop iamra from compiling: no source imports its declarations, and core
 * typechecks with the package hidden from the compiler.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const packagesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('pkcs11js stays optional for the compiler', function () {
  this.timeout(120_000);

  it('no source file of any package imports pkcs11js by a string the compiler resolves', () => {
    const offenders: string[] = [];
    let loaders = 0;
    for (const pkg of readdirSync(packagesDir)) {
      const src = join(packagesDir, pkg, 'src');
      for (const file of readdirSync(join(packagesDir, pkg)).includes('src') ? sourceFiles(src) : []) {
        const text = readFileSync(file, 'utf8');
        // `from 'pkcs11js'`, `import('pkcs11js')`, `require('pkcs11js')`, `import type … = require(…)`.
        if (/(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"]pkcs11js['"]\s*[;),\n]/.test(text)) offenders.push(file);
        loaders += (text.match(/import\('pkcs11js' as string\)/g) ?? []).length;
      }
    }
    assert.deepEqual(offenders, []);
    assert.equal(loaders, 1, 'one run-time loader (pkcs11/module.ts)');
  });

  it('core typechecks with node_modules/pkcs11js hidden from the compiler', () => {
    const configPath = join(packagesDir, 'core', 'tsconfig.json');
    const config = ts.getParsedCommandLineOfConfigFile(
      configPath,
      { noEmit: true, composite: false },
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => assert.fail(String(diagnostic.messageText)),
      },
    );
    assert.ok(config);
    const hidden = `${sep}node_modules${sep}pkcs11js`;
    const isHidden = (path: string) => path.includes(hidden) || path.includes('/node_modules/pkcs11js');
    const host = ts.createCompilerHost(config.options);
    const { fileExists, directoryExists, readFile } = host;
    host.fileExists = (path) => !isHidden(path) && fileExists.call(host, path);
    host.directoryExists = (path) => !isHidden(path) && (directoryExists?.call(host, path) ?? true);
    host.readFile = (path) => (isHidden(path) ? undefined : readFile.call(host, path));
    const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    assert.deepEqual(diagnostics, []);
    assert.ok(
      program.getSourceFiles().every((file) => !isHidden(file.fileName)),
      'no pkcs11js declaration was read',
    );
  });
});
