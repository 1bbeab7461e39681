import { describe, expect, it } from 'vitest';
import * as flint from '@flint/core';
import { loadFixture } from '../../test/golden.js';
import { Vad } from '../transforms/vad.js';
import { vad, type VadOptions } from './vad.js';

interface VadFixture {
  sampleRate: number;
  input: number[];
  cases: { name: string; stereo: boolean; params: Record<string, number>; kept: number }[];
}
const fx = loadFixture<VadFixture>('audio_vad');
const camel = (k: string): string => k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

describe('vad keeps exactly the samples torchaudio keeps (real speech after 0.4 s of noise)', () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      flint.scope(() => {
        const mono = flint.tensor(fx.input).reshape([1, -1]);
        const x = c.stereo ? flint.cat([mono, mono.mul(0.5)], 0) : mono;
        const options = Object.fromEntries(Object.entries(c.params).map(([k, v]) => [camel(k), v])) as VadOptions;
        const y = vad(x, fx.sampleRate, options);
        expect(y.shape).toEqual([x.shape[0], c.kept]);
        expect(c.kept).toBeLessThan(fx.input.length); // the noise is trimmed
        flint.testing.assertClose(y, x.narrow(1, x.shape[1]! - c.kept, c.kept), { atol: 0, rtol: 0 });
      });
    });
  }

  it('the Vad transform is the same function, and 1-D input keeps its rank', () => {
    flint.scope(() => {
      const x = flint.tensor(fx.input);
      const y = new Vad(fx.sampleRate)(x);
      expect(y.shape).toEqual([fx.cases[0]!.kept]);
    });
  });
});
