// Seeded PRNG for the simulated web. Everything the sim produces (sites, reports, figures, styling)
// must be a pure function of one seed, so a failing crawl can be replayed and manifests compared.

/** 32-bit FNV-1a; turns labels into seeds so sub-streams do not depend on call order. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** integer in [min, max], both inclusive */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** index chosen with probability proportional to weights[i] */
  weighted(weights: readonly number[]): number;
  shuffle<T>(items: readonly T[]): T[];
  /**
   * An independent stream derived from this stream's seed and a label. Forking by label (not by
   * drawing from this stream) keeps e.g. site 3 identical when site 2 gains a page.
   */
  fork(label: string): Rng;
  readonly seed: number;
}

export function createRng(seed: number | string): Rng {
  const s0 = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
  let state = s0;
  // mulberry32
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const rng: Rng = {
    seed: s0,
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    weighted: (weights) => {
      const sum = weights.reduce((a, b) => a + b, 0);
      let r = next() * sum;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i]!;
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
    shuffle: (items) => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    fork: (label) => createRng(hashString(`${s0}:${label}`)),
  };
  return rng;
}
