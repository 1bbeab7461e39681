/**
 * Devices as users see them. `gpu.isAvailable()` says whether tensors can live on a GPU here.
 * @module
 */
import { DeviceError } from './errors.js';
import { active, gpuBackendName, gpuDescription, probeGpu } from './kernels/backend.js';
import { parseDevice, type Device, type DeviceLike } from './tensor/tensor.js';

const available = await probeGpu();

/**
 * The GPU, as `torch.cuda`. Flint finds it at start-up: `@tensorflow/tfjs-node-gpu` when it is
 * installed and sees a CUDA GPU, else a WebGPU adapter through Dawn (the optional `webgpu`
 * package). A software adapter is used only when `FLINT_WEBGPU_SOFTWARE=1` asks for it;
 * `FLINT_GPU=0` turns detection off.
 *
 * @example
 * ```ts
 * const device = gpu.isAvailable() ? 'gpu' : 'cpu';
 * console.log(gpu.deviceName()); // e.g. 'NVIDIA H100 80GB HBM3 (WebGPU)'
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
  /**
   * The GPU's name and how Flint reaches it (`torch.cuda.get_device_name()`); when there is no
   * GPU, why not.
   */
  deviceName(): string {
    return gpuDescription();
  },
  /** The tfjs backend behind the GPU device: `'webgpu'`, `'tensorflow'`, or null. */
  backend(): string | null {
    return gpuBackendName();
  },
};

/** `torch.cuda` spelled as PyTorch users write it; the same object as {@link gpu}. */
export const cuda = gpu;

/**
 * Makes `device` the default of every function that makes a tensor without being told where
 * (`torch.set_default_device`): `'cpu'` (the start-up default) or `'gpu'`. Returns the previous
 * default.
 *
 * @example
 * ```ts
 * setDefaultDevice('gpu');
 * const x = randn([1024, 1024]); // on the GPU
 * setDefaultDevice('cpu');
 * ```
 */
export function setDefaultDevice(device: DeviceLike): Device {
  const d = parseDevice('setDefaultDevice', device);
  if (d === 'gpu' && !available) {
    throw new DeviceError(`setDefaultDevice(): device 'gpu' is not available (gpu.isAvailable() is false): ${gpuDescription()}`);
  }
  const prev = active.ambient;
  active.ambient = d;
  return prev;
}

/** The device that tensors made without a device go to (`torch.get_default_device`). @example `getDefaultDevice(); // 'cpu'` */
export function getDefaultDevice(): Device {
  return active.ambient;
}
