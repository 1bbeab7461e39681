/**
 * `Normalize`: `(x - mean) / std` per channel (`transforms.Normalize`).
 * @module
 */
import { ArgumentError, type Tensor } from '@flint/core';
import { normalize } from './functional/convert.js';
import { Transform } from './transform.js';

/**
 * Normalizes a float32 image `[..., C, H, W]` per channel: `(x - mean[c]) / std[c]`
 * (`transforms.Normalize`).
 *
 * @example
 * ```ts
 * new Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]);
 * new Normalize([0.2860], [0.3530]); // Fashion-MNIST
 * ```
 */
export class Normalize extends Transform<Tensor, Tensor> {
  readonly mean: number[];
  readonly std: number[];

  constructor(mean: readonly number[] | number, std: readonly number[] | number) {
    super(mean, std);
    const m = typeof mean === 'number' ? [mean] : mean;
    const s = typeof std === 'number' ? [std] : std;
    if (!Array.isArray(m) || m.length === 0 || m.some((v) => typeof v !== 'number')) {
      throw new ArgumentError(`Normalize(): mean must be a number or an array of numbers (got ${JSON.stringify(mean)})`);
    }
    if (!Array.isArray(s) || s.length === 0 || s.some((v) => typeof v !== 'number')) {
      throw new ArgumentError(`Normalize(): std must be a number or an array of numbers (got ${JSON.stringify(std)})`);
    }
    this.mean = [...m];
    this.std = [...s];
  }

  forward(tensor: Tensor): Tensor {
    return normalize(tensor, this.mean, this.std);
  }
}
