/**
 * `InverseMelScale` (`torchaudio.transforms.InverseMelScale`).
 * @module
 */
import { Tensor, enableGrad, nn, noGrad, optim, rand, type Generator } from '@flint/core';
import { melscaleFbanks, type MelScaleType } from '../functional/filterbanks.js';
import { checkInt, checkTensor } from '../util.js';

/** Options of {@link InverseMelScale}. */
export interface InverseMelScaleOptions {
  nMels?: number;
  sampleRate?: number;
  fMin?: number;
  fMax?: number | null;
  /** Iterations at most (default 100000). */
  maxIter?: number;
  /** Stop when the loss is below this (default 1e-5). */
  toleranceLoss?: number;
  /** Stop when the loss changes less than this (default 1e-8). */
  toleranceChange?: number;
  /** SGD options (default `{ lr: 0.1, momentum: 0.9 }`). */
  sgdargs?: { lr?: number; momentum?: number };
  norm?: 'slaney' | null;
  melScale?: MelScaleType;
  /** Generator for the random starting point. */
  generator?: Generator;
}

/**
 * Estimates a linear-frequency spectrogram `[..., nStft, frames]` from a mel spectrogram
 * `[..., nMels, frames]` by minimising the squared error of its mel projection with SGD,
 * clamped to non-negative values, as torchaudio 0.13 does.
 *
 * @example
 * ```ts
 * const spec = new InverseMelScale(201, { nMels: 64, maxIter: 2000 })(mel);
 * ```
 */
export class InverseMelScale extends nn.Module {
  readonly nMels: number;
  declare readonly fb: Tensor;
  constructor(
    readonly nStft: number,
    readonly options: InverseMelScaleOptions = {},
  ) {
    super();
    checkInt('InverseMelScale', 'nStft', nStft, 1);
    this.nMels = checkInt('InverseMelScale', 'nMels', options.nMels ?? 128, 1);
    const sr = options.sampleRate ?? 16000;
    this.registerBuffer('fb', melscaleFbanks(nStft, options.fMin ?? 0, options.fMax ?? Math.floor(sr / 2), this.nMels, sr, { norm: options.norm ?? null, melScale: options.melScale ?? 'htk' }));
  }
  forward(melspec: Tensor): Tensor {
    checkTensor('InverseMelScale', 'melspec', melspec, 2);
    const o = this.options;
    const shape = melspec.shape;
    const frames = shape[shape.length - 1]!;
    const target = melspec.reshape([-1, this.nMels, frames]).transpose(1, 2).detach(); // [B, T, nMels]
    const specgram = rand([target.shape[0]!, frames, this.nStft], o.generator !== undefined ? { generator: o.generator } : {}).requiresGrad_();
    const opt = new optim.SGD([specgram], { lr: o.sgdargs?.lr ?? 0.1, momentum: o.sgdargs?.momentum ?? 0.9 });
    const maxIter = o.maxIter ?? 100000;
    let loss = Infinity;
    enableGrad(() => {
      for (let i = 0; i < maxIter; i++) {
        opt.zeroGrad();
        const diff = target.sub(specgram.matmul(this.fb));
        const l = diff.pow(2).sum(-1).mean();
        l.backward();
        opt.step();
        noGrad(() => specgram.clamp_(0));
        const next = l.item();
        l.dispose();
        diff.dispose();
        if (next < (o.toleranceLoss ?? 1e-5) || Math.abs(loss - next) < (o.toleranceChange ?? 1e-8)) break;
        loss = next;
      }
    });
    const out = specgram.detach().transpose(1, 2).reshape([...shape.slice(0, -2), this.nStft, frames]);
    opt.zeroGrad();
    return out;
  }
}
