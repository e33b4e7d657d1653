// Third-party notices for what a bundle contains: the npm packages whose files ncc compiled into
// it (from webpack's module list, so a package pulled in by a dependency is found too), each with
// its name, version, license and license text. Bundles carry no node_modules, so their licenses'
// notices (node-forge's BSD-3-Clause among them) travel in this file instead.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const LICENSE_FILE = /^(licen[cs]e|copying)(\.(md|txt))?$/i;

/** The package directories (…/node_modules/name or …/node_modules/@scope/name) of compiled modules. */
export function bundledPackageDirs(stats) {
  const dirs = new Set();
  for (const module of stats.compilation.modules) {
    const resource = module.resource ?? '';
    const matches = [...resource.matchAll(/[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/g)];
    const last = matches.at(-1);
    if (last?.index !== undefined) dirs.add(resource.slice(0, last.index + last[0].length));
  }
  return dirs;
}

function licenseText(dir) {
  const file = readdirSync(dir).find((name) => LICENSE_FILE.test(name));
  return file ? readFileSync(join(dir, file), 'utf8').trim() : undefined;
}

/** The notices file for a set of package directories; throws when a package has no license text. */
export function noticesText(dirs, root, what) {
  const packages = [...dirs]
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, ...JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  const sections = packages.map((pkg) => {
    const text = licenseText(pkg.dir);
    if (!text) throw new Error(`notices: ${relative(root, pkg.dir)} has no license file to reproduce`);
    const license = typeof pkg.license === 'string' ? pkg.license : JSON.stringify(pkg.license);
    // node-forge is dual-licensed; iamra uses it under the BSD-3-Clause terms.
    const chosen = license.includes(' OR ') && license.includes('BSD-3-Clause') ? ', used under BSD-3-Clause' : '';
    return [`${pkg.name} ${pkg.version}`, `License: ${license}${chosen}`, '', text].join('\n');
  });
  return [
    `Third-party software in ${what}`,
    '',
    'iamra itself is licensed under the Apache License 2.0 (see LICENSE). The bundled files also',
    'contain the following packages, under their own licenses:',
    '',
    ...sections.flatMap((section) => [`${'='.repeat(78)}`, section, '']),
  ].join('\n');
}
