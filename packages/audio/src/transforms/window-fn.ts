/**
 * The `windowFn` option shared by the spectral transforms.
 * @internal
 * @module
 */
import type { Tensor } from '@flint/core';
import { hannWindow } from '../functional/window.js';

/** A window constructor such as `hannWindow` (`torch.hann_window`), called with `(winLength, wkwargs)`. */
export type WindowFn = (windowLength: number, options?: Record<string, unknown>) => Tensor;

/** Builds the window of `winLength` samples. */
export function makeWindow(windowFn: WindowFn | undefined, winLength: number, wkwargs: Record<string, unknown> | undefined): Tensor {
  return (windowFn ?? hannWindow)(winLength, wkwargs ?? {});
}
