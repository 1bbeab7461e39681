/**
 * Random draws for the samplers and the loader: seeds, permutations and integers as plain
 * arrays, drawn with the same functions as `randperm` and `randint` so that a sampler's order is
 * the permutation those give for the same generator state.
 * @internal
 * @module
 */
import { defaultGenerator, Generator } from '../random/generator.js';
import { randint, randperm } from '../tensor/create.js';

/**
 * A seed in [0, 2^52) drawn from `generator` (default: the default generator), as PyTorch draws
 * `torch.empty((), dtype=torch.int64).random_(generator=...)`. Room is left below 2^53 for the
 * worker ids added to it.
 */
export function drawSeed(generator: Generator = defaultGenerator): number {
  const [lo, hi] = generator.nextUint32(2);
  return (hi! & 0xfffff) * 0x100000000 + lo!;
}

/** `generator`, or a fresh one seeded from the default generator (a new stream per epoch). */
export function epochGenerator(generator: Generator | undefined): Generator {
  return generator ?? new Generator(drawSeed());
}

/** `randperm(n, { generator })` as an array. */
export function permutation(n: number, generator: Generator): number[] {
  const t = randperm(n, { generator });
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
}

/** `randint(0, high, [count], { generator })` as an array. */
export function randomIntegers(high: number, count: number, generator: Generator): number[] {
  if (count === 0) return [];
  const t = randint(0, high, [count], { generator });
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
}
