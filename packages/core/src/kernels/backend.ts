/**
 * Backend start-up and selection. Users see devices (`'cpu'`, `'gpu'`); backends are how the
 * math runs: `tensorflow` (an installed @tensorflow/tfjs-node or -gpu, detected, never required),
 * `wasm` (the default) and `cpu` (the reference) for the CPU; `webgpu` (Dawn, optional) or
 * tfjs-node-gpu for the GPU. tfjs keeps one active backend; ops switch it to their inputs' device
 * with {@link useDevice}, and tfjs moves data between backends when a kernel reads it.
 * @module
 */
import { BackendError, DeviceError, describe } from '../errors.js';
import { registerCpuFallbacks } from './fallback.js';
import { registerFastKernels } from './wasm-fast.js';
import { useNative } from './native.js';
import { tf } from './tf.js';
import { initWebgpu } from './webgpu.js';

/** The names of the backends Flint can run on. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

let tensorflowProbe: Promise<boolean> | undefined;
let tensorflowGpu = false;
const patched = new Set<string>();

/** A device as the kernel layer sees it. */
type DeviceName = 'cpu' | 'gpu';

/**
 * Which device's backend tfjs runs kernels on now (`device`), and where tensors made without a
 * device go (`ambient`: `'cpu'`, or a module's input device while its forward runs). Read on every
 * op, so kept as plain fields. @internal
 */
export const active: { device: DeviceName; ambient: DeviceName } = { device: 'cpu', ambient: 'cpu' };
/** The backend behind each device (`gpu` is null when there is no GPU). */
const deviceBackends: { cpu: BackendName; gpu: string | null } = { cpu: 'wasm', gpu: null };
let gpuDetail = 'GPU detection has not run';

interface Engine {
  backendName: string;
  backendInstance: unknown;
  registry: Record<string, unknown>;
}

/**
 * Makes `device`'s backend the one tfjs runs kernels on. Cheap (two field writes): tfjs's own
 * setBackend re-runs every kernel's set-up and makes a profiler each time. @internal
 */
export function useDevice(device: DeviceName): void {
  if (device === active.device) return;
  const name = device === 'cpu' ? deviceBackends.cpu : deviceBackends.gpu;
  if (name === null) throw new DeviceError(`device 'gpu' is not available: ${gpuDetail}`);
  const eng = tf.engine() as unknown as Engine;
  if (eng.backendName !== name) {
    const instance = eng.registry[name];
    if (instance === undefined) throw new BackendError(`the '${name}' backend behind device '${device}' has not started`);
    eng.backendName = name;
    eng.backendInstance = instance;
  }
  active.device = device;
}

/** The name of the backend behind the GPU device, or null. @internal */
export function gpuBackendName(): string | null {
  return deviceBackends.gpu;
}
/** The GPU's name, or why there is none. @internal */
export function gpuDescription(): string {
  return gpuDetail;
}

/** Tries to load an installed tfjs-node(-gpu); absent is normal. */
async function probeTensorflow(): Promise<boolean> {
  for (const name of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await import(/* @vite-ignore */ name as string);
      tensorflowGpu = name.endsWith('-gpu');
      return tf.findBackend('tensorflow') != null || tf.engine().registryFactory['tensorflow'] != null;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') continue;
      process.emitWarning(`flint: ${name} is installed but failed to load, so it is not used: ${(e as Error).message}`);
    }
  }
  return false;
}

function hasTensorflow(): Promise<boolean> {
  tensorflowProbe ??= probeTensorflow();
  return tensorflowProbe;
}

/**
 * Makes `name` the backend that runs every op from now on. Tensors made earlier stay readable:
 * their data moves on first use.
 *
 * @example
 * ```ts
 * await setBackend('cpu');
 * console.log(backend()); // 'cpu'
 * ```
 */
export async function setBackend(name: BackendName): Promise<void> {
  if (!BACKENDS.includes(name)) {
    throw new BackendError(`setBackend(): name must be one of ${BACKENDS.join(', ')} (got ${describe(name)})`);
  }
  if (name === 'tensorflow' && !(await hasTensorflow())) {
    throw new BackendError(
      "setBackend(): the 'tensorflow' backend needs @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu, and neither is installed; use 'wasm' or 'cpu', or install one of them",
    );
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new BackendError(`setBackend(): the '${name}' backend failed to start`);
  await tf.ready();
  if (name !== 'cpu' && !patched.has(name)) {
    registerCpuFallbacks(name);
    if (name === 'wasm') registerFastKernels(name);
    patched.add(name);
  }
  deviceBackends.cpu = name;
  active.device = 'cpu';
  await useNative(name);
}

/**
 * The name of the active backend.
 *
 * @example
 * ```ts
 * if (backend() === 'wasm') console.log('running on WebAssembly kernels');
 * ```
 */
export function backend(): BackendName {
  return deviceBackends.cpu;
}

/** The device that tensors made now without a device go to. @internal */
export function backendDevice(): DeviceName {
  return active.ambient;
}

/** Whether a GPU can hold tensors on this machine. @internal */
export async function probeGpu(): Promise<boolean> {
  await started;
  return deviceBackends.gpu !== null;
}

/**
 * Finds the GPU backend: tfjs-node-gpu when it is installed and sees a GPU, else WebGPU through
 * Dawn when an adapter is found. Leaves the CPU backend active.
 */
async function initGpu(): Promise<void> {
  if ((await hasTensorflow()) && tensorflowGpu) {
    deviceBackends.gpu = 'tensorflow';
    gpuDetail = 'CUDA GPU through @tensorflow/tfjs-node-gpu';
    if (tf.engine().registry['tensorflow'] === undefined) {
      await tf.setBackend('tensorflow');
      await tf.setBackend(deviceBackends.cpu);
    }
    return;
  }
  const probe = await initWebgpu();
  gpuDetail = probe.ok ? `${probe.detail} (WebGPU${probe.software ? ', software' : ''})` : probe.detail;
  if (!probe.ok) return;
  if (!(await tf.setBackend('webgpu'))) {
    gpuDetail = 'the WebGPU backend failed to start';
    return;
  }
  registerCpuFallbacks('webgpu');
  await tf.setBackend(deviceBackends.cpu);
  deviceBackends.gpu = 'webgpu';
}

/**
 * Chooses the start-up backend: `FLINT_BACKEND` if set, else `tensorflow` when installed, else
 * `wasm`. Runs once when this module loads.
 * @internal
 */
export async function initBackend(): Promise<void> {
  tf.env().set('IS_TEST', false);
  tf.env().set('PROD', true);
  const wanted = process.env.FLINT_BACKEND?.trim();
  if (wanted) {
    if (!BACKENDS.includes(wanted as BackendName)) {
      throw new BackendError(`FLINT_BACKEND must be one of ${BACKENDS.join(', ')} (got ${describe(wanted)})`);
    }
    await setBackend(wanted as BackendName);
  } else {
    await setBackend((await hasTensorflow()) ? 'tensorflow' : 'wasm');
  }
  await initGpu();
}

// Start-up: the package entry points reach this module first, so the backend is ready before
// the first op without any init call.
const started = initBackend();
await started;
