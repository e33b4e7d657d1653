/** `serve --listen ADDRESS`: an IPv4 or IPv6 literal, and the URLs clients use to reach it. */
import { isIP } from 'node:net';
import { IamraError } from '@iamra/core';

export interface ListenAddress {
  /** What the server binds to. */
  address: string;
  /** The host clients put in URLs: a wildcard is reached on loopback; IPv6 in brackets. */
  urlHost: string;
  /** Whether SDKs accept plain-HTTP container credentials from it (loopback only). */
  loopback: boolean;
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^127\./.test(address);
}

export function parseListenAddress(text: string): ListenAddress {
  const address = text.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(address);
  if (family === 0) {
    throw new IamraError(
      'CONFIG_INVALID',
      `--listen must be an IPv4 or IPv6 address (e.g. 127.0.0.1, ::1, 0.0.0.0); got '${text}'`,
    );
  }
  const wildcard = address === '0.0.0.0' || address === '::';
  const reachable = wildcard ? (family === 4 ? '127.0.0.1' : '::1') : address;
  return {
    address,
    urlHost: family === 6 ? `[${reachable}]` : reachable,
    loopback: wildcard || isLoopback(address),
  };
}
