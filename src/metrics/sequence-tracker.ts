/**
 * Tells from `seq` alone whether frames were lost, repeated or reordered. O(1) per in-order frame;
 * holes are remembered (up to a cap) so that a late frame counts as reordered, not duplicated.
 */
export interface SequenceCounts {
  /** Highest seq seen. */
  highest: number;
  /** Distinct frames delivered. */
  delivered: number;
  /** Seqs skipped and not (yet) delivered. */
  missing: number;
  duplicates: number;
  /** Frames that arrived after a higher seq. */
  reordered: number;
}

export class SequenceTracker {
  private highest = 0;
  private delivered = 0;
  private duplicates = 0;
  private reordered = 0;
  private readonly holes = new Set<number>();
  /** Holes beyond the cap are counted but no longer remembered one by one. */
  private forgottenHoles = 0;

  private started: boolean;

  /**
   * `fromFirst`: count from the first seq seen, whatever it is (someone else's stream may start at 0,
   * or at 1,000 after a resume); by default counting starts at 1, so a stream that begins at 5 lost 4.
   */
  constructor(
    private readonly maxHoles = 100_000,
    fromFirst = false,
  ) {
    this.started = !fromFirst;
  }

  /** Records one frame; returns what it was. */
  record(seq: number): 'in-order' | 'gap' | 'duplicate' | 'reordered' {
    if (!this.started) {
      this.started = true;
      this.highest = seq - 1;
    }
    if (seq === this.highest + 1) {
      this.highest = seq;
      this.delivered++;
      return 'in-order';
    }
    if (seq > this.highest) {
      for (let s = this.highest + 1; s < seq; s++) {
        if (this.holes.size < this.maxHoles) this.holes.add(s);
        else this.forgottenHoles++;
      }
      this.highest = seq;
      this.delivered++;
      return 'gap';
    }
    if (this.holes.delete(seq)) {
      this.delivered++;
      this.reordered++;
      return 'reordered';
    }
    this.duplicates++;
    return 'duplicate';
  }

  /** The seq a resuming client should ask to continue after. */
  get lastContiguous(): number {
    let min = this.highest;
    for (const hole of this.holes) if (hole - 1 < min) min = hole - 1;
    return min;
  }

  counts(): SequenceCounts {
    return {
      highest: this.highest,
      delivered: this.delivered,
      missing: this.holes.size + this.forgottenHoles,
      duplicates: this.duplicates,
      reordered: this.reordered,
    };
  }
}
