/**
 * Loading a PKCS#11 module: the pkcs11js binding (an optional native dependency, imported only
 * when a pkcs11: URI is given) and the vendor's shared library.
 */
import { existsSync } from 'node:fs';
import { IamraError } from '../errors.js';
import { call } from './failure.js';
import type { Pkcs11Binding, Pkcs11Module } from './types.js';

export type { Pkcs11Binding };

/**
 * The binding's module name, as an expression: TypeScript then resolves no declarations for it
 * (core compiles without pkcs11js installed), while the emitted JavaScript keeps the plain
 * string the bundler sees and leaves external.
 */
const importPkcs11js = (): Promise<unknown> => import('pkcs11js' as string);

/**
 * Where modules live when --pkcs11-lib is not given: p11-kit's proxy first (it reaches every
 * module registered with p11-kit, as the Go helper's default does), then OpenSC and SoftHSM2.
 */
export const DEFAULT_MODULE_PATHS: readonly string[] = [
  '/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so',
  '/usr/lib/aarch64-linux-gnu/p11-kit-proxy.so',
  '/usr/lib64/p11-kit-proxy.so',
  '/usr/lib/p11-kit-proxy.so',
  '/usr/local/lib/p11-kit-proxy.so',
  '/opt/homebrew/lib/p11-kit-proxy.dylib',
  '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
  '/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so',
  '/usr/lib64/opensc-pkcs11.so',
  '/usr/lib/opensc-pkcs11.so',
  '/opt/homebrew/lib/opensc-pkcs11.so',
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib64/softhsm/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
];

export function findModulePath(
  explicit: string | undefined,
  candidates: readonly string[] = DEFAULT_MODULE_PATHS,
  exists: (path: string) => boolean = existsSync,
): string {
  if (explicit !== undefined) {
    if (!exists(explicit)) {
      throw new IamraError(
        'PKCS11_MODULE_NOT_FOUND',
        `the PKCS#11 module ${explicit} does not exist; give the vendor's module path with --pkcs11-lib (e.g. /usr/lib/softhsm/libsofthsm2.so)`,
      );
    }
    return explicit;
  }
  const found = candidates.find((path) => exists(path));
  if (!found) {
    throw new IamraError(
      'PKCS11_MODULE_NOT_FOUND',
      "no PKCS#11 module was found (looked for p11-kit-proxy, OpenSC and SoftHSM2); give the vendor's module path with --pkcs11-lib",
    );
  }
  return found;
}

/** The binding is optional: a CLI or task that never sees a pkcs11: URI never loads it. */
export async function loadBinding(importer: () => Promise<unknown> = importPkcs11js): Promise<Pkcs11Binding> {
  try {
    const loaded = (await importer()) as Pkcs11Binding & { default?: Pkcs11Binding };
    return loaded.default ?? loaded;
  } catch (error) {
    throw new IamraError(
      'PKCS11_UNAVAILABLE',
      'PKCS#11 keys need the pkcs11js module, which is missing or was not built next to iamra; install it with its build allowed (npm install --allow-scripts=pkcs11js pkcs11js, or install iamra with --allow-scripts=pkcs11js), or point NODE_PATH at a node_modules that has it',
      { cause: error },
    );
  }
}

export interface LoadedModule {
  module: Pkcs11Module;
  /** Finalizes the library once its last user is done. */
  release(): void;
}

/** A library is initialised once per process, however many sessions use it. */
const loaded = new Map<string, { module: Pkcs11Module; users: number }>();

/** Loads and initialises the vendor's library, or shares the one already loaded. */
export function acquireModule(binding: Pkcs11Binding, path: string): LoadedModule {
  let entry = loaded.get(path);
  if (!entry) {
    const module = new binding.PKCS11();
    try {
      module.load(path);
    } catch (error) {
      throw new IamraError(
        'PKCS11_MODULE_NOT_FOUND',
        `the PKCS#11 module ${path} could not be loaded (not a PKCS#11 library for this machine?); check --pkcs11-lib`,
        { cause: error },
      );
    }
    call('initialise', () => module.C_Initialize());
    entry = { module, users: 0 };
    loaded.set(path, entry);
  }
  entry.users += 1;
  const current = entry;
  let released = false;
  return {
    module: current.module,
    release() {
      if (released) return;
      released = true;
      current.users -= 1;
      if (current.users > 0) return;
      loaded.delete(path);
      current.module.C_Finalize();
      current.module.close();
    },
  };
}
