/**
 * DNS rebinding: a web page on attacker.example that re-resolves its name to 127.0.0.1 can make
 * the victim's browser talk to a local credential server, but the browser still sends
 * `Host: attacker.example:PORT`. So the server answers only requests whose Host names it under
 * an address it listens on; the set is a function of the bound address (`--listen` included).
 */
import { networkInterfaces } from 'node:os';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

function hostForm(address: string): string {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  return bare.includes(':') ? `[${bare}]` : bare;
}

function isLoopback(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || bare.startsWith('127.');
}

/** The `Host` values (lowercase `name:port`, and bare `name` on port 80) that reach this server. */
export function allowedHosts(boundAddress: string, port: number): Set<string> {
  const names = new Set<string>();
  if (WILDCARDS.has(boundAddress)) {
    for (const name of LOOPBACK_NAMES) names.add(name);
    for (const entries of Object.values(networkInterfaces())) {
      for (const entry of entries ?? []) names.add(hostForm(entry.address));
    }
  } else {
    names.add(hostForm(boundAddress));
    if (isLoopback(boundAddress)) for (const name of LOOPBACK_NAMES) names.add(name);
  }
  const hosts = new Set<string>();
  for (const name of names) {
    hosts.add(`${name}:${port}`);
    if (port === 80) hosts.add(name);
  }
  return hosts;
}

export function isAllowedHost(host: string | undefined, allowed: Set<string>): boolean {
  return host !== undefined && allowed.has(host.trim().toLowerCase());
}
