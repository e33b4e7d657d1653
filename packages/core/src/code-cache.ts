/**
 * `@iamra/core/code-cache`: what the bundles' entry files use to run a bundle with V8's code
 * cache (node:vm, no node:crypto). A subpath of its own, so `@iamra/core/light` stays as light.
 */
export { type BundleCache, type LoadedBundle, loadBundle } from './code-cache/bundle-loader.js';
export { isPrivateDirectory, readCodeCache, writeCodeCache } from './code-cache/files.js';
export { codeCacheName, codeCachePath, isCodeCacheName } from './code-cache/name.js';
export { type CachedRun, type CodeCacheStore, runCodeCached } from './code-cache/run-cached.js';
