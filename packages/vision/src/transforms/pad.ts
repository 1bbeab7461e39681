/**
 * `Pad` (`transforms.Pad`).
 * @module
 */
import { ArgumentError } from '@flint/core';
import { pad, parsePadding, type PaddingMode } from './functional/geometry.js';
import type { ImageInput } from './functional/pixels.js';
import { ImageTransform } from './image-transform.js';

/** Checks a padding mode. @internal */
export function checkPaddingMode(fn: string, mode: PaddingMode): PaddingMode {
  if (!['constant', 'edge', 'reflect', 'symmetric'].includes(mode)) {
    throw new ArgumentError(`${fn}(): paddingMode must be 'constant', 'edge', 'reflect' or 'symmetric' (got ${JSON.stringify(mode)})`);
  }
  return mode;
}

/** Options of {@link Pad}. */
export interface PadOptions {
  /** The value of constant padding (default 0). */
  fill?: number;
  /** `'constant'` (default), `'edge'`, `'reflect'` or `'symmetric'`. */
  paddingMode?: PaddingMode;
}

/**
 * Pads every side: `padding` an int, `[leftRight, topBottom]` or `[left, top, right, bottom]`
 * (`transforms.Pad`).
 *
 * @example
 * ```ts
 * new Pad(4, { paddingMode: 'reflect' });
 * ```
 */
export class Pad extends ImageTransform {
  readonly padding: number | number[];
  readonly fill: number;
  readonly paddingMode: PaddingMode;

  constructor(padding: number | readonly number[], options: PadOptions = {}) {
    super(padding, options);
    parsePadding('Pad', padding);
    this.padding = typeof padding === 'number' ? padding : [...padding];
    this.fill = options.fill ?? 0;
    if (typeof this.fill !== 'number') throw new ArgumentError(`Pad(): fill must be a number (got ${JSON.stringify(this.fill)})`);
    this.paddingMode = checkPaddingMode('Pad', options.paddingMode ?? 'constant');
  }

  forward<T extends ImageInput>(img: T): T {
    return pad(img, this.padding, this.fill, this.paddingMode);
  }
}
