// A set of 53-bit endpoint hashes in one typed array (open addressing): the import asks SQLite about an
// endpoint only when its hash was seen before, which spares a million index probes on a fresh list.
// 8 bytes a slot, at most half full: 16 MB for a million endpoints, against ~50 MB for a Set.

const EMPTY = -1;

export class HashSet {
  private slots: Float64Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1 << 16) {
    let slotCount = 1 << 10;
    while (slotCount < capacity * 2) slotCount *= 2;
    this.slots = new Float64Array(slotCount).fill(EMPTY);
    this.mask = slotCount - 1;
  }

  has(hash: number): boolean {
    for (let i = hash & this.mask; ; i = (i + 1) & this.mask) {
      const slot = this.slots[i]!;
      if (slot === hash) return true;
      if (slot === EMPTY) return false;
    }
  }

  /** Adds the hash; returns false when it was already there. */
  add(hash: number): boolean {
    for (let i = hash & this.mask; ; i = (i + 1) & this.mask) {
      const slot = this.slots[i]!;
      if (slot === hash) return false;
      if (slot === EMPTY) {
        this.slots[i] = hash;
        if (++this.size * 2 > this.slots.length) this.grow();
        return true;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2).fill(EMPTY);
    this.mask = this.slots.length - 1;
    this.size = 0;
    for (const hash of old) if (hash !== EMPTY) this.add(hash);
  }
}
