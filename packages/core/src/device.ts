/**
 * Devices as users see them. `gpu.isAvailable()` says whether tensors can live on a GPU here.
 * @module
 */
import { probeGpu } from './kernels/backend.js';

const available = await probeGpu();

/**
 * The GPU, as `torch.cuda`.
 *
 * @example
 * ```ts
 * const device = gpu.isAvailable() ? 'gpu' : 'cpu';
 * ```
 */
export const gpu = {
  /** Whether a GPU backend is installed and sees a GPU (`torch.cuda.is_available()`). */
  isAvailable(): boolean {
    return available;
  },
  /** How many GPUs Flint can use (0 or 1). */
  deviceCount(): number {
    return available ? 1 : 0;
  },
};

/** `torch.cuda` spelled as PyTorch users write it; the same object as {@link gpu}. */
export const cuda = gpu;
