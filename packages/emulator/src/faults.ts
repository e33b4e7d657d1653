/** Fault injection for reliability tests and benchmarks, and a per-account token bucket. */
export interface FaultPlan {
  /** Added before answering, in ms. */
  latencyMs?: number;
  /** Answer with this status and a matching error body. */
  status?: number;
  reset?: boolean;
  hang?: boolean;
  malformedBody?: boolean;
  truncatedBody?: boolean;
  emptyCredentialSet?: boolean;
  /** Apply to the next N CreateSession requests only (default: all). */
  count?: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
