/**
 * Seeded randomness for the synthetic population. Written here rather than taken from a library so
 * that a seed gives the same bytes on every machine and every future version of our dependencies:
 * benchmark results are only comparable if the data behind them is.
 */

/** splitmix32: spreads a seed's bits so that seeds 1, 2, 3 start from unrelated states. */
function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Chaotic generator): 128 bits of state, passes PractRand,
 * and needs only 32-bit integer arithmetic, which JavaScript does quickly.
 *
 * A generator is keyed by a seed and any number of stream numbers (for example a family's index),
 * so each family can draw from its own stream and stay the same whatever else changes.
 */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number, ...streams: number[]) {
    if (!Number.isSafeInteger(seed)) throw new RangeError('seed must be a safe integer');
    let key = splitmix32((seed >>> 0) ^ splitmix32(Math.floor(seed / 4294967296) >>> 0));
    for (const stream of streams) key = splitmix32(key ^ splitmix32(stream >>> 0));
    this.#a = splitmix32(key);
    this.#b = splitmix32(this.#a ^ 0x6a09e667);
    this.#c = splitmix32(this.#b ^ 0xbb67ae85);
    this.#d = 1;
    // sfc32's own recommendation: discard the first outputs so weak keys have mixed.
    for (let i = 0; i < 12; i += 1) this.uint32();
  }

  /** The next 32 random bits as an unsigned integer. */
  uint32(): number {
    const a = this.#a;
    const b = this.#b;
    const c = this.#c;
    const d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    this.#c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /**
   * True with probability p. Always draws, even for p of 0 or 1, so that changing one rate does not
   * shift every later draw in the stream.
   */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[this.below(items.length)] as T;
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i -= 1) {
      const j = this.below(i + 1);
      const held = items[i] as T;
      items[i] = items[j] as T;
      items[j] = held;
    }
    return items;
  }
}

/**
 * Vose's alias method: after linear set-up, each weighted draw costs one random number and two
 * array reads, which keeps a million-record run dominated by string building, not sampling.
 */
export class AliasTable<T> {
  readonly items: readonly T[];
  readonly #probability: Float64Array;
  readonly #alias: Uint32Array;

  constructor(items: readonly T[], weights: readonly number[]) {
    const n = items.length;
    if (n === 0 || weights.length !== n) throw new RangeError('need one weight per item and at least one item');
    let total = 0;
    for (const weight of weights) {
      if (!(weight >= 0) || !Number.isFinite(weight)) throw new RangeError('weights must be finite and non-negative');
      total += weight;
    }
    if (total <= 0) throw new RangeError('weights must not all be zero');
    this.items = items;
    this.#probability = new Float64Array(n);
    this.#alias = new Uint32Array(n);
    const scaled = weights.map((weight) => (weight * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((value, i) => (value < 1 ? small : large).push(i));
    while (small.length > 0 && large.length > 0) {
      const less = small.pop() as number;
      const more = large.pop() as number;
      this.#probability[less] = scaled[less] as number;
      this.#alias[less] = more;
      const remaining = (scaled[more] as number) + (scaled[less] as number) - 1;
      scaled[more] = remaining;
      (remaining < 1 ? small : large).push(more);
    }
    for (const i of large) this.#probability[i] = 1;
    for (const i of small) this.#probability[i] = 1;
  }

  sample(random: Random): T {
    const u = random.next() * this.items.length;
    const i = Math.floor(u);
    const chosen = u - i < (this.#probability[i] as number) ? i : (this.#alias[i] as number);
    return this.items[chosen] as T;
  }
}
