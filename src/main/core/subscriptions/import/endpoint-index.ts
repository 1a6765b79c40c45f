// Endpoint hash → subscription id, in two typed arrays (open addressing): the import asks SQLite about an
// endpoint only when its hash was seen before, and then by rowid. 12 bytes a slot, at most half full:
// 24 MB for a million endpoints, against ~100 MB for a Map.

const EMPTY = -1;

export class EndpointIndex {
  private keys: Float64Array;
  private ids: Uint32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1 << 16) {
    let slotCount = 1 << 10;
    while (slotCount < capacity * 2) slotCount *= 2;
    this.keys = new Float64Array(slotCount).fill(EMPTY);
    this.ids = new Uint32Array(slotCount);
    this.mask = slotCount - 1;
  }

  /** The id stored for this hash, or undefined. */
  get(hash: number): number | undefined {
    for (let i = hash & this.mask; ; i = (i + 1) & this.mask) {
      const key = this.keys[i]!;
      if (key === hash) return this.ids[i];
      if (key === EMPTY) return undefined;
    }
  }

  /** Stores the id unless the hash already has one (the first row of a hash stays). */
  add(hash: number, id: number): void {
    for (let i = hash & this.mask; ; i = (i + 1) & this.mask) {
      const key = this.keys[i]!;
      if (key === hash) return;
      if (key === EMPTY) {
        this.keys[i] = hash;
        this.ids[i] = id;
        if (++this.size * 2 > this.keys.length) this.grow();
        return;
      }
    }
  }

  private grow(): void {
    const keys = this.keys;
    const ids = this.ids;
    this.keys = new Float64Array(keys.length * 2).fill(EMPTY);
    this.ids = new Uint32Array(keys.length * 2);
    this.mask = this.keys.length - 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== EMPTY) this.add(keys[i]!, ids[i]!);
  }
}
