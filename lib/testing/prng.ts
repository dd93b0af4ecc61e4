// A small seeded pseudo-random generator for the schedulers (SplitMix32-style: a Weyl sequence
// through an integer hash). Invariant: the same seed gives the same numbers on every engine,
// since it uses only 32-bit integer arithmetic (Math.imul), never Math.random.

import { describeValue } from "../poll";

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = hash32(seed | 0) ^ 0x9e3779b9;
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    return hash32(this.state) >>> 0;
  }

  /** A uniform integer in `0 … n - 1` (n ≥ 1). */
  below(n: number): number {
    // Multiply-shift keeps the bias under n / 2^32, far below anything a test can observe.
    return Math.floor((this.nextU32() / 4294967296) * n);
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return this.nextU32() / 4294967296;
  }
}

/** A 32-bit integer hash (the murmur3 finaliser): mixes every input bit into every output bit. */
export function hash32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) | 0;
}

/** The seed of run `run` of an exploration seeded with `seed`: runs are independent streams. */
export function runSeed(seed: number, run: number): number {
  return hash32((seed | 0) ^ hash32(run + 0x632be5ab));
}

/** Validate a user's seed: a finite integer (the low 32 bits are used). */
export function checkSeed(seed: unknown, who: string): number {
  if (typeof seed !== "number" || !Number.isInteger(seed)) {
    throw new TypeError(`${who} needs an integer seed, not ${describeValue(seed)}`);
  }
  return seed;
}
