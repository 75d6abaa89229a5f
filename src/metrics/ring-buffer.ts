/** Fixed-capacity ring of numbers: O(1) push, oldest dropped first, no allocation after construction. */
export class RingBuffer {
  private readonly values: Float64Array;
  private start = 0;
  private length = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.values = new Float64Array(capacity);
  }

  get size(): number {
    return this.length;
  }

  push(value: number): void {
    const end = (this.start + this.length) % this.capacity;
    this.values[end] = value;
    if (this.length < this.capacity) this.length++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** i = 0 is the oldest value still held. */
  at(i: number): number {
    if (i < 0 || i >= this.length) throw new RangeError(`index ${i} outside 0..${this.length - 1}`);
    return this.values[(this.start + i) % this.capacity];
  }

  last(): number | undefined {
    return this.length === 0 ? undefined : this.at(this.length - 1);
  }

  toArray(): number[] {
    const out = new Array<number>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.values[(this.start + i) % this.capacity];
    return out;
  }

  /** Oldest first, as a copy: two block copies, no per-value loop. */
  toFloat64Array(): Float64Array {
    const out = new Float64Array(this.length);
    const head = Math.min(this.length, this.capacity - this.start);
    out.set(this.values.subarray(this.start, this.start + head));
    if (head < this.length) out.set(this.values.subarray(0, this.length - head), head);
    return out;
  }

  clear(): void {
    this.start = 0;
    this.length = 0;
  }
}

/** A ring of arbitrary values (for the last messages shown in a lane). */
export class RecentList<T> {
  private readonly items: (T | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** Newest first. */
  newestFirst(): T[] {
    const out: T[] = [];
    for (let i = 1; i <= this.count; i++) {
      out.push(this.items[(this.next - i + this.capacity) % this.capacity] as T);
    }
    return out;
  }

  clear(): void {
    this.items.fill(undefined);
    this.next = 0;
    this.count = 0;
  }
}
