// A least-recently-used map bounded by the bytes its values hold, not by their count: caches of
// blocks and records differ in size by orders of magnitude, and memory is what must stay bounded.
// Pure (no Node APIs): the gateway's Workers bundle uses it too.

/** An LRU map whose total `sizeOf(key, value)` stays at or under `maxBytes`. */
export class ByteLru<V> {
  readonly maxBytes: number;
  readonly #sizeOf: (key: string, value: V) => number;
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recent first.
  readonly #entries = new Map<string, { value: V; size: number }>();
  #bytes = 0;
  /** The most recently used key: a hit on it needs no reordering (a hot key is hit in a row). */
  #newest: string | undefined;

  constructor(maxBytes: number, sizeOf: (key: string, value: V) => number) {
    this.maxBytes = maxBytes;
    this.#sizeOf = sizeOf;
  }

  /** The value under `key` (now the most recently used), or undefined. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (key !== this.#newest) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      this.#newest = key;
    }
    return entry.value;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** Stores `value`, evicting the least recently used entries past the budget. A value larger than the whole budget is not kept. */
  set(key: string, value: V): void {
    this.delete(key);
    const size = this.#sizeOf(key, value);
    if (size > this.maxBytes) return;
    this.#entries.set(key, { value, size });
    this.#newest = key;
    this.#bytes += size;
    while (this.#bytes > this.maxBytes) this.evictOldest();
  }

  /** Drops the least recently used entry. */
  evictOldest(): void {
    const oldest = this.#entries.keys().next();
    if (!oldest.done) this.delete(oldest.value);
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    if (key === this.#newest) this.#newest = undefined;
    this.#bytes -= entry.size;
  }

  /** Bytes held (by `sizeOf`'s account). */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }
}
