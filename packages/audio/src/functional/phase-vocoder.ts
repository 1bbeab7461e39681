/**
 * Time stretching without changing pitch (`torchaudio.functional.phase_vocoder`).
 * @module
 */
import { ShapeError, type Tensor } from '@flint/core';
import { checkNumber, checkTensor, fromArray } from '../util.js';

/**
 * Stretches a complex spectrogram `[..., freq, frames, 2]` in time by `1 / rate` (rate > 1 is
 * faster): magnitudes are interpolated between neighbouring frames and phases advanced by the
 * measured instantaneous frequency. `phaseAdvance` is `[freq, 1]`, the expected phase advance per
 * hop, `linspace(0, pi * hopLength, freq)`. Computed on host arrays; not differentiable.
 *
 * @example
 * ```ts
 * const adv = linspace(0, Math.PI * 256, 513).reshape([-1, 1]);
 * const faster = phaseVocoder(complexSpec, 1.3, adv);
 * ```
 */
export function phaseVocoder(complexSpecgrams: Tensor, rate: number, phaseAdvance: Tensor): Tensor {
  checkTensor('phaseVocoder', 'complexSpecgrams', complexSpecgrams, 3);
  checkNumber('phaseVocoder', 'rate', rate, true);
  const shape = complexSpecgrams.shape;
  if (shape[shape.length - 1] !== 2) throw new ShapeError(`phaseVocoder(): complexSpecgrams must be [..., freq, frames, 2] (got shape [${shape.join(', ')}])`);
  if (rate === 1) return complexSpecgrams;
  const F = shape[shape.length - 3]!;
  const T = shape[shape.length - 2]!;
  if (phaseAdvance.numel() !== F) throw new ShapeError(`phaseVocoder(): phaseAdvance must hold one value per frequency (${F}) (got shape [${phaseAdvance.shape.join(', ')}])`);
  const adv = phaseAdvance.dataSync();
  const src = complexSpecgrams.dataSync();
  const batch = src.length / (F * T * 2);
  const steps: number[] = [];
  for (let s = 0; s * rate < T; s++) steps.push(Math.fround(s * rate));
  const S = steps.length;
  const out = new Float32Array(batch * F * S * 2);
  const at = (b: number, f: number, t: number): [number, number] => {
    if (t >= T) return [0, 0]; // torchaudio pads two zero frames
    const o = ((b * F + f) * T + t) * 2;
    return [src[o]!, src[o + 1]!];
  };
  for (let b = 0; b < batch; b++) {
    for (let f = 0; f < F; f++) {
      const [r0, i0] = at(b, f, 0);
      let acc = Math.atan2(i0, r0);
      for (let s = 0; s < S; s++) {
        const ts = steps[s]!;
        const t0 = Math.floor(ts);
        const alpha = ts - t0;
        const [ar, ai] = at(b, f, t0);
        const [br, bi] = at(b, f, t0 + 1);
        const mag = alpha * Math.hypot(br, bi) + (1 - alpha) * Math.hypot(ar, ai);
        const o = ((b * F + f) * S + s) * 2;
        out[o] = mag * Math.cos(acc);
        out[o + 1] = mag * Math.sin(acc);
        // The phase for the next output frame: the measured advance, wrapped to [-pi, pi].
        let phase = Math.atan2(bi, br) - Math.atan2(ai, ar) - adv[f]!;
        phase -= 2 * Math.PI * Math.round(phase / (2 * Math.PI));
        acc += phase + adv[f]!;
      }
    }
  }
  return fromArray(out, [...shape.slice(0, -2), S, 2]);
}
