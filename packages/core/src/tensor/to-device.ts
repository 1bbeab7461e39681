/**
 * Copying a tensor to another device (`x.to('gpu')`), recorded by autograd like PyTorch's
 * `ToCopyBackward0`: the gradient is copied back to the source device.
 * @internal
 * @module
 */
import { apply } from '../autograd/function.js';
import { DeviceError } from '../errors.js';
import { gpuBackendName, gpuDescription, useDevice } from '../kernels/backend.js';
import { tf, type Handle } from '../kernels/tf.js';
import type { Device, Tensor } from './tensor.js';

/** A copy of `h`'s values in `device`'s backend. */
function copyHandle(h: Handle, device: Device): Handle {
  // A fresh array: backends may keep the one they are given, and must not share it.
  const values = (h.dataSync() as Float32Array | Int32Array | Uint8Array).slice();
  useDevice(device);
  return tf.tensor(values, h.shape, h.dtype);
}

/** `x` copied to `device` (which differs from `x.device`). @internal */
export function toDevice(x: Tensor, device: Device): Tensor {
  if (device === 'gpu' && gpuBackendName() === null) {
    throw new DeviceError(
      `to(): device 'gpu' is not available (gpu.isAvailable() is false): ${gpuDescription()}. ` +
        "Flint reaches a GPU through WebGPU (the optional 'webgpu' package and a Vulkan, Metal or D3D12 driver) " +
        'or through @tensorflow/tfjs-node-gpu (CUDA 11.2)',
    );
  }
  const source = x.device;
  return apply({
    name: 'to',
    nodeName: 'ToCopyBackward0',
    inputs: [x],
    forward: () => copyHandle(x._handle, device),
    backward: (g) => [toDevice(g, source)],
  });
}
