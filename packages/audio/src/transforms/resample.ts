/**
 * `Resample` (`torchaudio.transforms.Resample`).
 * @module
 */
import { ArgumentError, nn, type Tensor } from '@flint/core';
import { applyResampleKernel, resampleKernel, type ResampleOptions } from '../functional/resample.js';
import { checkTensor } from '../util.js';

/**
 * Resamples `[..., time]` from `origFreq` to `newFreq` Hz with a windowed-sinc kernel computed
 * once (buffer `kernel`); see `functional.resample`.
 *
 * @example
 * ```ts
 * const down = new Resample(44100, 16000);
 * const y = down(waveform);
 * ```
 */
export class Resample extends nn.Module {
  readonly width: number;
  private readonly orig: number;
  private readonly next: number;
  declare readonly kernel: Tensor | null;
  constructor(
    readonly origFreq = 16000,
    readonly newFreq = 16000,
    readonly options: ResampleOptions = {},
  ) {
    super();
    if (origFreq === newFreq) {
      this.width = 0;
      this.orig = this.next = 1;
      this.registerBuffer('kernel', null, { persistent: false });
      return;
    }
    const k = resampleKernel('Resample', origFreq, newFreq, options);
    this.width = k.width;
    this.orig = k.orig;
    this.next = k.next;
    this.registerBuffer('kernel', k.kernel, { persistent: false });
  }
  forward(waveform: Tensor): Tensor {
    checkTensor('Resample', 'waveform', waveform);
    if (waveform.dtype !== 'float32') throw new ArgumentError(`Resample(): waveform must be float32 (got ${waveform.dtype})`);
    if (this.kernel === null) return waveform;
    return applyResampleKernel(waveform, { kernel: this.kernel, width: this.width, orig: this.orig, next: this.next });
  }
  override extraRepr(): string {
    return `origFreq=${this.origFreq}, newFreq=${this.newFreq}`;
  }
}
