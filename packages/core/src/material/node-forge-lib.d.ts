/** node-forge's per-feature files, loaded one by one to keep PKCS#12 start-up small. */
declare module 'node-forge/lib/*';
