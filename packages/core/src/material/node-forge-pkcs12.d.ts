// The PKCS#12 entry of node-forge, imported alone; its API is the forge namespace typed by @types/node-forge.
declare module 'node-forge/lib/pkcs12.js' {
  import type * as Forge from 'node-forge';

  const forge: typeof Forge;
  export default forge;
}
