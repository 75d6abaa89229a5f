/**
 * How many streams may be open at once: per client address (MAX_STREAMS_PER_ADDRESS) and in total
 * (MAX_STREAMS_TOTAL). Pure: the caller says what the address is and how many streams are open.
 */
import { MAX_STREAMS_PER_ADDRESS, MAX_STREAMS_TOTAL } from '../protocol/limits.ts';

export interface StreamLimitOptions {
  perAddress?: number;
  total?: number;
}

export class StreamLimits {
  readonly perAddress: number;
  readonly total: number;
  /** Open streams per client address (entries removed at 0). */
  private readonly byAddress = new Map<string, number>();

  constructor(
    /** Streams open now, all addresses. */
    private readonly openTotal: () => number,
    options: StreamLimitOptions = {},
  ) {
    this.perAddress = options.perAddress ?? MAX_STREAMS_PER_ADDRESS;
    this.total = options.total ?? MAX_STREAMS_TOTAL;
  }

  /** Why a new stream from this address may not open now, or null. */
  refusal(address: string): string | null {
    if (this.openTotal() >= this.total) {
      return `the server has ${this.total} streams open, its limit (MAX_STREAMS_TOTAL); try again later`;
    }
    if ((this.byAddress.get(address) ?? 0) >= this.perAddress) {
      return `your address has ${this.perAddress} streams open, the limit per client (MAX_STREAMS_PER_ADDRESS); close some first`;
    }
    return null;
  }

  /** Counts a stream against its address; returns the release (idempotent). */
  hold(address: string): () => void {
    this.byAddress.set(address, (this.byAddress.get(address) ?? 0) + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const left = (this.byAddress.get(address) ?? 1) - 1;
      if (left <= 0) this.byAddress.delete(address);
      else this.byAddress.set(address, left);
    };
  }

  /** Streams this address holds now. */
  heldBy(address: string): number {
    return this.byAddress.get(address) ?? 0;
  }
}
