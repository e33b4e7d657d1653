/**
 * The bundled CLI's entry file: runs the bundle (cli.js beside it, built in the same step) with
 * V8's code cache for credential-process calls (@iamra/core/code-cache). The build writes the bundle's
 * hash in place of BUNDLE_HASH, so a cache is only ever read by the build it was made from.
 */
import { loadBundle } from '@iamra/core/code-cache';
import { currentUid } from './cache/uid.js';
import { codeCacheDir } from './code-cache/location.js';

const BUNDLE_HASH = 'iamra-bundle-hash';
const built = /^[0-9a-f]+$/.test(BUNDLE_HASH);
const bundle = loadBundle(__dirname, 'cli.js', {
  dir: built ? codeCacheDir(process.argv.slice(2), process.env) : undefined,
  bundleHash: BUNDLE_HASH,
  uid: currentUid(),
});
// At exit every function the call ran is compiled; a failed call's directory may not be ready.
process.once('exit', (code) => {
  if (code === 0) bundle.save();
});
