/** IMDSv2 session tokens: random, with a TTL, in a bounded store. */
import { randomBytes } from 'node:crypto';

export class TokenStore {
  private readonly tokens = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly capacity = 10_000,
  ) {}

  issue(ttlSeconds: number): string {
    const now = this.now();
    if (this.tokens.size >= this.capacity) {
      for (const [token, expiry] of this.tokens) if (expiry <= now) this.tokens.delete(token);
      // Still full: drop the oldest, as tokens are only a replay guard, not a grant.
      const oldest = this.tokens.keys().next().value;
      if (this.tokens.size >= this.capacity && oldest !== undefined) this.tokens.delete(oldest);
    }
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, now + ttlSeconds * 1000);
    return token;
  }

  isValid(token: string | undefined): boolean {
    if (!token) return false;
    const expiry = this.tokens.get(token);
    if (expiry === undefined) return false;
    if (expiry <= this.now()) {
      this.tokens.delete(token);
      return false;
    }
    return true;
  }

  get size(): number {
    return this.tokens.size;
  }
}
