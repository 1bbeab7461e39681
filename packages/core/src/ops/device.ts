/**
 * The device check of ops that do not hand all their tensors to `apply()`: the same rule and the
 * same error as `apply()` (PyTorch's "expected all tensors to be on the same device").
 * @internal
 * @module
 */
import { DeviceError } from '../errors.js';
import { active, useDevice } from '../kernels/backend.js';
import type { Device, Tensor } from '../tensor/tensor.js';

/**
 * The device an op over `inputs` runs on, made the active one: that of its inputs, which must
 * agree (0-d tensors join either device, as PyTorch's CPU scalars do). When every input is on
 * the active device this costs one comparison per input.
 *
 * @example
 * ```ts
 * sameDevice('gather', [x, index]); // throws a DeviceError when x is on 'gpu' and index on 'cpu'
 * ```
 */
export function sameDevice(name: string, inputs: readonly Tensor[]): Device {
  const current = active.device;
  for (let i = 0; i < inputs.length; i++) if (inputs[i]!._device !== current) return settle(name, inputs);
  return current;
}

function settle(name: string, inputs: readonly Tensor[]): Device {
  let device: Device | null = null;
  let scalarOnGpu = false;
  for (const t of inputs) {
    if (t._h.rank === 0) {
      if (t._device === 'gpu') scalarOnGpu = true;
    } else if (device === null) device = t._device;
    else if (t._device !== device) {
      throw new DeviceError(
        `${name}(): expected all tensors to be on the same device, but found at least two devices, '${device}' and '${t._device}'. ` +
          `Move them first, e.g. with .to('${device}')`,
      );
    }
  }
  const d = device ?? (scalarOnGpu ? 'gpu' : 'cpu');
  useDevice(d);
  return d;
}
