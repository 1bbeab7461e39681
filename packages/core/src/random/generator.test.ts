import { afterEach, describe, expect, it, vi } from 'vitest';
import { Generator, getRngState, manualSeed, rand, randn, setRngState } from '../index.js';
import { initialSeed, seed } from './generator.js';

describe('Generator', () => {
  it('replays the same numbers from the same seed and from a saved state', () => {
    manualSeed(123);
    const a = randn([5]).tolist();
    const state = getRngState();
    const b = rand([3]).tolist();
    manualSeed(123);
    expect(randn([5]).tolist()).toEqual(a);
    setRngState(state);
    expect(rand([3]).tolist()).toEqual(b);
  });

  it('gives different streams for different seeds and independent generators', () => {
    const g1 = new Generator(1);
    const g2 = new Generator(2);
    expect(rand([4], { generator: g1 }).tolist()).not.toEqual(rand([4], { generator: g2 }).tolist());
    manualSeed(5);
    const first = rand([2]).tolist();
    manualSeed(5);
    rand([2], { generator: new Generator(9) });
    expect(rand([2]).tolist()).toEqual(first);
  });

  it('matches the Philox4x32-10 known-answer test vectors', () => {
    // Random123's kat_vectors: philox4x32 10 rounds, counter 0, key 0.
    const g = new Generator(0);
    expect(Array.from(g.nextUint32(4))).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
  });

  it('validates seeds and states', () => {
    expect(() => manualSeed(-1)).toThrow(/seed must be an integer/);
    expect(() => new Generator().setState({ seed: 1, offset: -1 })).toThrow(/offset must be an integer >= 0/);
    const g = new Generator(77);
    expect(g.initialSeed()).toBe(77);
  });

  describe('seed() and initialSeed()', () => {
    afterEach(() => {
      vi.restoreAllMocks();
      vi.unstubAllGlobals();
      manualSeed(0);
    });

    it('seed() reseeds the default generator with a fresh seed it returns, which replays the run', () => {
      manualSeed(3);
      rand([5]);
      const s = seed();
      expect(Number.isSafeInteger(s) && s >= 0).toBe(true);
      expect(initialSeed()).toBe(s);
      // Rewound: the numbers after seed() are those of manualSeed(s).
      expect(getRngState()).toEqual({ seed: s, offset: 0 });
      const a = rand([6]).tolist();
      manualSeed(s);
      expect(rand([6]).tolist()).toEqual(a);
      // A second call gives another seed (two equal 53-bit draws: about 1 in 9e15).
      const s2 = seed();
      expect(s2).not.toBe(s);
      expect(rand([6]).tolist()).not.toEqual(a);
    });

    it('initialSeed() is the seed last set, whatever has been drawn since', () => {
      manualSeed(42);
      randn([7]);
      expect(initialSeed()).toBe(42);
      setRngState({ seed: 9, offset: 5 });
      expect(initialSeed()).toBe(9);
      // Other generators leave it alone.
      new Generator(11).seed();
      expect(initialSeed()).toBe(9);
    });

    it('draws 53 bits from crypto.getRandomValues', () => {
      let words = [0x89abcdef, 0xffe12345];
      const spy = vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(<T extends ArrayBufferView | null>(a: T): T => {
        (a as unknown as Uint32Array).set(words);
        return a;
      });
      // The low word whole, and the low 21 bits of the high word.
      expect(seed()).toBe(0x12345 * 2 ** 32 + 0x89abcdef);
      expect(spy).toHaveBeenCalledTimes(1);
      words = [0xffffffff, 0xffffffff];
      expect(seed()).toBe(2 ** 53 - 1);
      expect(new Generator().initialSeed()).toBe(2 ** 53 - 1);
    });

    it('falls back to the clock and Math.random without a crypto source', () => {
      vi.stubGlobal('crypto', undefined);
      vi.spyOn(Math, 'random').mockReturnValue(0.5);
      const s = seed();
      expect(Number.isSafeInteger(s) && s >= 0 && s < 2 ** 53).toBe(true);
      expect(Math.floor(s / 2 ** 32)).toBe(0x100000);
      expect(initialSeed()).toBe(s);
    });

    it('Generator.seed() reseeds that generator only', () => {
      manualSeed(1);
      const before = getRngState();
      const g = new Generator(5);
      rand([3], { generator: g });
      const s = g.seed();
      expect(g.getState()).toEqual({ seed: s, offset: 0 });
      expect(getRngState()).toEqual(before);
      const a = rand([4], { generator: g }).tolist();
      expect(rand([4], { generator: new Generator(s) }).tolist()).toEqual(a);
    });
  });
});
