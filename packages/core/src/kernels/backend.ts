/**
 * Backend start-up and selection. Users see devices (`'cpu'`, `'gpu'`); backends are how the
 * math runs: `tensorflow` (an installed @tensorflow/tfjs-node or -gpu, detected, never required),
 * `wasm` (the default) and `cpu` (the reference).
 * @module
 */
import { BackendError, describe } from '../errors.js';
import { registerCpuFallbacks } from './fallback.js';
import { registerFastKernels } from './wasm-fast.js';
import { tf } from './tf.js';

/** The names of the backends Flint can run on. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

let tensorflowProbe: Promise<boolean> | undefined;
let tensorflowGpu = false;
const patched = new Set<string>();

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
  return tf.getBackend() as BackendName;
}

/** The device that tensors of the active backend live on. @internal */
export function backendDevice(): 'cpu' | 'gpu' {
  return backend() === 'tensorflow' && tensorflowGpu ? 'gpu' : 'cpu';
}

/** Whether a GPU can hold tensors on this machine. @internal */
export async function probeGpu(): Promise<boolean> {
  return (await hasTensorflow()) && tensorflowGpu;
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
    return;
  }
  await setBackend((await hasTensorflow()) ? 'tensorflow' : 'wasm');
}

// Start-up: the package entry points reach this module first, so the backend is ready before
// the first op without any init call.
await initBackend();
