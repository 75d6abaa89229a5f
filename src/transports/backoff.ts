/**
 * Exponential backoff with full jitter (the "Full Jitter" of AWS's "Exponential Backoff and Jitter"):
 * the n-th retry waits a uniformly random time in [0, min(cap, base · 2^n)). Random delays keep a
 * crowd of clients from reconnecting in lockstep after a server comes back.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  /** Retries before giving up; 0 never retries. */
  maxAttempts: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 250, capMs: 10_000, maxAttempts: 12 };

export const backoffLimits = {
  baseMs: { min: 10, max: 60_000 },
  capMs: { min: 10, max: 600_000 },
  maxAttempts: { min: 0, max: 1_000 },
} as const;

/** The ceiling of attempt n's delay (n from 0). */
export function backoffCeiling(policy: BackoffPolicy, attempt: number): number {
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 50));
}

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  /** Retries made since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The next delay in ms, or null once maxAttempts retries have been used. */
  next(): number | null {
    if (this.attempt >= this.policy.maxAttempts) return null;
    const ceiling = backoffCeiling(this.policy, this.attempt);
    this.attempt++;
    return Math.floor(this.random() * ceiling);
  }

  /** After a good connection the next failure starts from the base again. */
  reset(): void {
    this.attempt = 0;
  }
}

/** The policy's knobs as parameters (URL and inputs), with the same ranges as backoffLimits. */
export const backoffParamSpecs = [
  {
    name: 'backoffBase',
    label: 'WS backoff base',
    unit: 'ms',
    min: backoffLimits.baseMs.min,
    max: backoffLimits.baseMs.max,
    default: defaultBackoff.baseMs,
    description: 'First retry waits up to this long; each further retry doubles the ceiling.',
  },
  {
    name: 'backoffCap',
    label: 'WS backoff cap',
    unit: 'ms',
    min: backoffLimits.capMs.min,
    max: backoffLimits.capMs.max,
    default: defaultBackoff.capMs,
    description: 'No retry waits longer than this.',
  },
  {
    name: 'backoffMax',
    label: 'WS max attempts',
    unit: '',
    min: backoffLimits.maxAttempts.min,
    max: backoffLimits.maxAttempts.max,
    default: defaultBackoff.maxAttempts,
    description: 'Retries in a row before the lane gives up; a connection that delivers resets the count.',
  },
] as const;
