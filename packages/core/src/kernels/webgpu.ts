/**
 * The WebGPU backend: TensorFlow.js's WebGPU kernels over Dawn (the `webgpu` npm package, a
 * prebuilt `dawn.node`). Both packages are optional dependencies: absent, or with no adapter, the
 * GPU is simply not available.
 *
 * Adapters: a real GPU first (Vulkan on Linux, Metal on macOS, D3D12 on Windows). A software
 * adapter (Mesa's llvmpipe through OpenGL ES, headless) only when `FLINT_WEBGPU_SOFTWARE=1` asks for
 * it, so that the GPU path can be tested on machines without a GPU; it is slower than wasm.
 *
 * Reads: tfjs's WebGPU backend reads synchronously through an OffscreenCanvas, which Node lacks.
 * Here a read copies the buffer into a mappable one and drives Dawn's event loop until the copy is
 * mapped: dawn.node asks `setImmediate` to run its event processing, so while a read waits that
 * request is taken and run at once. Asynchronous reads take the same path, so no Dawn event is
 * ever left waiting on the real `setImmediate` while a synchronous read needs it.
 * @internal
 * @module
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { BackendError } from '../errors.js';
import { tf } from './tf.js';

/** What probing for a WebGPU adapter found. */
export interface WebgpuProbe {
  /** Whether the backend is registered as `'webgpu'` and ready. */
  ok: boolean;
  /** The adapter's name (`'NVIDIA H100 ...'`, `'llvmpipe ...'`), or why there is none. */
  detail: string;
  /** Whether the adapter is a software renderer. */
  software: boolean;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

/** How many times a read drives Dawn's events before giving up (each call may block in the driver). */
const MAX_PUMPS = 50_000_000;

/**
 * Dawn's event-processing request left over from the last read. Dawn asks for one at a time and
 * asks again only after it ran, so it is kept here for the next read and also handed to the real
 * `setImmediate` for asynchronous work; whichever comes first runs it.
 */
let pendingPump: (() => void) | null = null;
function runPendingPump(): void {
  const f = pendingPump;
  pendingPump = null;
  if (f !== null) f();
}

/**
 * Copies a GPU buffer to the host and waits for it synchronously.
 * @internal
 */
export function readBufferSync(backend: Any, buffer: Any): ArrayBuffer {
  const g = globalThis as Any;
  const size: number = buffer.size;
  const staging = backend.bufferManager.acquireBuffer(size, g.GPUBufferUsage.COPY_DST | g.GPUBufferUsage.MAP_READ);
  backend.ensureCommandEncoderReady();
  backend.endComputePassEncoder();
  backend.commandEncoder.copyBufferToBuffer(buffer, 0, staging, 0, size);
  backend.submitQueue();
  const realSetImmediate = g.setImmediate;
  let pump: (() => void) | null = null;
  // dawn.node schedules its event processing with the global setImmediate; take the request.
  g.setImmediate = (fn: () => void) => {
    pump = fn;
  };
  try {
    (staging.mapAsync(g.GPUMapMode.READ) as Promise<void>).catch(() => undefined);
    for (let i = 0; staging.mapState !== 'mapped'; i++) {
      let run = pump as (() => void) | null;
      pump = null;
      if (run === null) {
        run = pendingPump;
        pendingPump = null;
      }
      if (run === null || i > MAX_PUMPS) {
        throw new BackendError(
          'reading a GPU tensor: the GPU did not finish the copy (device lost, or another WebGPU user is waiting on Dawn events)',
        );
      }
      run();
    }
  } finally {
    g.setImmediate = realSetImmediate;
    if (pump !== null) {
      pendingPump = pump;
      realSetImmediate(runPendingPump);
    }
  }
  const values = (staging.getMappedRange() as ArrayBuffer).slice(0);
  staging.unmap();
  backend.bufferManager.releaseBuffer(staging);
  return values;
}

/** Makes a tfjs WebGPUBackend read synchronously in Node. */
function patchReads(backend: Any): void {
  backend.getBufferData = async (buffer: Any) => readBufferSync(backend, buffer);
  backend.readSync = (dataId: object) => {
    const data = backend.tensorMap.get(dataId);
    if (data.values != null || data.dtype === 'string') return data.values;
    if (data.dtype === 'complex64') {
      throw new BackendError('reading a complex tensor from the GPU is not supported; move it to the CPU first');
    }
    const values = tf.util.convertBackendValuesAndArrayBuffer(readBufferSync(backend, data.resource), data.dtype);
    backend.convertAndCacheOnCPU(dataId, values);
    return values;
  };
}

type KernelInfo = { dataId: object; shape: number[]; dtype: string };
type KernelArgs = { inputs: Record<string, KernelInfo>; attrs?: Record<string, unknown>; backend: unknown };

type Backend = {
  readSync(dataId: object): tf.backend_util.BackendValues;
  write(values: tf.backend_util.BackendValues, shape: number[], dtype: string): object;
  disposeData(dataId: object, force?: boolean): boolean;
};

/**
 * Runs the cpu backend's kernel `name` on copies of the inputs and writes the result(s) back to
 * the GPU. List-input kernels (Concat, AddN, Pack) get a list; multi-output kernels (Unique,
 * SplitV, TopK...) give a list back.
 */
function onCpu(name: string, args: KernelArgs): KernelInfo {
  const gpu = args.backend as Backend;
  const cpu = tf.findBackend('cpu') as unknown as Backend;
  const kernel = tf.getKernel(name, 'cpu')!.kernelFunc as unknown as (a: KernelArgs) => KernelInfo | KernelInfo[];
  const copies: KernelInfo[] = [];
  const copy = (t: KernelInfo): KernelInfo => {
    const c = { dataId: cpu.write(gpu.readSync(t.dataId), t.shape, t.dtype), shape: t.shape, dtype: t.dtype };
    copies.push(c);
    return c;
  };
  try {
    let inputs: KernelArgs['inputs'];
    if (Array.isArray(args.inputs)) {
      inputs = (args.inputs as KernelInfo[]).map(copy) as unknown as KernelArgs['inputs'];
    } else {
      const named: Record<string, KernelInfo> = {};
      for (const [k, t] of Object.entries(args.inputs)) if (t != null) named[k] = copy(t);
      inputs = named;
    }
    const out = kernel({ inputs, attrs: args.attrs, backend: cpu });
    const back = (o: KernelInfo): KernelInfo => {
      const dataId = gpu.write(cpu.readSync(o.dataId), o.shape, o.dtype);
      cpu.disposeData(o.dataId, true);
      return { dataId, shape: o.shape, dtype: o.dtype };
    };
    // tfjs takes a kernel's list of outputs where it returns one (typed here as a single output).
    return (Array.isArray(out) ? out.map(back) : back(out)) as KernelInfo;
  } finally {
    for (const t of copies) cpu.disposeData(t.dataId, true);
  }
}

/** Replaces `name`'s WebGPU kernel by `wrap(stock)`. */
function rewrap(name: string, wrap: (stock: (args: KernelArgs) => KernelInfo) => (args: KernelArgs) => KernelInfo): void {
  const kernel = tf.getKernel(name, 'webgpu');
  if (kernel === undefined) return;
  const stock = kernel.kernelFunc as unknown as (args: KernelArgs) => KernelInfo;
  tf.unregisterKernel(name, 'webgpu');
  tf.registerKernel({ ...kernel, kernelFunc: wrap(stock) as never });
}

/**
 * Works around tfjs 4.22 WebGPU kernel bugs that the conformance suite found:
 * - ArgMax and ArgMin of a 1-D input give shape [1] instead of a scalar; Prod ignores `keepDims`.
 *   The data is right, so only the shape is replaced.
 * - Transpose of int32 and bool tensors builds an invalid shader (it writes an i32 into an f32
 *   output) and yields zeros, and so do reductions of them (they transpose first): those run on the
 *   cpu backend's kernel, with the data moved.
 * - Kernels given tensors of rank 5 or more build shaders with WGSL types that do not exist
 *   (PadV2 yields zeros): those run on the cpu backend's kernel.
 * - Relu drops NaNs (shader compilers may assume there are none): they are selected back in.
 * - Cumsum and Cumprod with `reverse` are wrong along the last axis: the input is flipped, scanned
 *   forward and flipped back, on the GPU.
 */
function fixKernels(software: boolean): void {
  // llvmpipe's float remainder is off by an ulp where a quotient is near an integer, which makes
  // floor division round the wrong way; real GPUs pass. On the software adapter it runs on the CPU.
  if (software) rewrap('Mod', (stock) => (args) => (args.inputs.a!.dtype === 'float32' ? onCpu('Mod', args) : stock(args)));
  rewrap('Prod', (stock) => (args) => {
    const out = stock(args);
    if (args.attrs?.keepDims !== true) return out;
    const x = args.inputs.x!;
    const axis = args.attrs.axis;
    const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => ((a as number) < 0 ? (a as number) + x.shape.length : (a as number)));
    return { ...out, shape: x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) };
  });
  // Cumsum and Cumprod with `reverse` give wrong sums along the last axis: flip, scan, flip back.
  for (const name of ['Cumsum', 'Cumprod']) {
    rewrap(name, (stock) => (args) => {
      if (args.attrs?.reverse !== true) return stock(args);
      const x = args.inputs.x!;
      const gpu = args.backend as Backend;
      const reverse = tf.getKernel('Reverse', 'webgpu')!.kernelFunc as unknown as (a: KernelArgs) => KernelInfo;
      const axis = (args.attrs.axis as number) < 0 ? (args.attrs.axis as number) + x.shape.length : (args.attrs.axis as number);
      const flipped = reverse({ inputs: { x }, attrs: { dims: [axis] }, backend: gpu });
      const scanned = stock({ ...args, inputs: { x: flipped }, attrs: { ...args.attrs, reverse: false } });
      gpu.disposeData(flipped.dataId);
      const out = reverse({ inputs: { x: scanned }, attrs: { dims: [axis] }, backend: gpu });
      gpu.disposeData(scanned.dataId);
      return out;
    });
  }
  // Reductions transpose the reduced axes last first, with that broken shader.
  for (const name of ['Transpose', 'Any', 'All', 'ArgMax', 'ArgMin', 'Max', 'Min', 'Sum', 'Prod', 'Mean']) {
    rewrap(name, (stock) => (args) => (args.inputs.x!.dtype === 'float32' ? stock(args) : onCpu(name, args)));
  }
  // GPU shader compilers may assume no NaNs: relu(NaN) comes out 0 (on NVIDIA and llvmpipe alike),
  // where PyTorch keeps NaN. NaNs are put back with a select.
  rewrap('Relu', (stock) => (args) => {
    const x = args.inputs.x!;
    if (x.dtype !== 'float32') return stock(args);
    const gpu = args.backend as Backend;
    const isNan = tf.getKernel('IsNan', 'webgpu')!.kernelFunc as unknown as (a: KernelArgs) => KernelInfo;
    const select = tf.getKernel('Select', 'webgpu')!.kernelFunc as unknown as (a: KernelArgs) => KernelInfo;
    const relu = stock(args);
    const nan = isNan({ inputs: { x }, backend: gpu });
    const out = select({ inputs: { condition: nan, t: x, e: relu }, backend: gpu });
    gpu.disposeData(nan.dataId);
    gpu.disposeData(relu.dataId);
    return out;
  });
  // Shaders for rank-5 and rank-6 tensors use WGSL types that do not exist (`vec5`): PadV2 (which
  // dilated convolutions use) fails to compile and yields zeros. Kernels given such tensors run on
  // the cpu backend; Reshape and Identity only relabel data.
  const cpuKernels = new Set(tf.getKernelsForBackend('cpu').map((k) => k.kernelName));
  for (const { kernelName } of tf.getKernelsForBackend('webgpu')) {
    if (kernelName === 'Reshape' || kernelName === 'Identity' || !cpuKernels.has(kernelName)) continue;
    rewrap(kernelName, (stock) => (args) => {
      for (const t of Object.values(args.inputs)) if (t != null && t.shape.length > 4) return onCpu(kernelName, args);
      return stock(args);
    });
  }
  for (const name of ['ArgMax', 'ArgMin']) {
    rewrap(name, (stock) => (args) => {
      const out = stock(args);
      const x = args.inputs.x!;
      const axis = args.attrs?.axis;
      const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => ((a as number) < 0 ? (a as number) + x.shape.length : (a as number)));
      const shape = x.shape.filter((_, i) => !axes.includes(i));
      const same = shape.length === out.shape.length && shape.every((d, i) => d === out.shape[i]);
      return same ? out : { ...out, shape };
    });
  }
}

/** Whether this machine shows a GPU device node (probing Dawn is skipped when it shows none). */
function hasGpuHint(): boolean {
  if (process.platform !== 'linux') return true;
  try {
    if (readdirSync('/dev/dri').some((f) => f.startsWith('renderD'))) return true;
  } catch {
    // no /dev/dri
  }
  return existsSync('/dev/nvidia0') || existsSync('/dev/dxg');
}

function isSoftwareAdapter(adapter: Any): boolean {
  const info = adapter.info ?? {};
  if (info.isFallbackAdapter === true || adapter.isFallbackAdapter === true) return true;
  const text = `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.device ?? ''} ${info.description ?? ''}`.toLowerCase();
  return /llvmpipe|lavapipe|swiftshader|softpipe|software/.test(text);
}

function adapterName(adapter: Any): string {
  const info = adapter.info ?? {};
  const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
  const name = text(info.device) || text(info.description) || text(info.vendor) || 'WebGPU adapter';
  const extra = [text(info.vendor), text(info.architecture), text(info.description)].filter((p) => p !== '' && !name.includes(p));
  return extra.length > 0 ? `${name} (${extra.join(', ')})` : name;
}

/**
 * NVIDIA's Vulkan driver is registered through its GLX library, which fails without an X server
 * ("Could not get 'vkCreateInstance' ... for ICD libGLX_nvidia.so.0"); on a headless machine its
 * EGL library serves the same Vulkan entry points. Points the Vulkan loader at it; true when done.
 */
function useNvidiaEglIcd(): boolean {
  if (process.platform !== 'linux' || !existsSync('/dev/nvidia0')) return false;
  if (process.env.VK_ICD_FILENAMES !== undefined || process.env.VK_DRIVER_FILES !== undefined) return false;
  const file = join(tmpdir(), `flint-nvidia-egl-icd-${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ file_format_version: '1.0.1', ICD: { library_path: 'libEGL_nvidia.so.0', api_version: '1.3.0' } }));
  process.env.VK_ICD_FILENAMES = file;
  process.env.VK_DRIVER_FILES = file;
  return true;
}

let probe: Promise<WebgpuProbe> | undefined;

/**
 * Finds a WebGPU adapter, starts tfjs's WebGPU backend on it and registers it as `'webgpu'`
 * (without making it the active backend). Runs once; later calls get the first answer.
 * @internal
 */
export function initWebgpu(): Promise<WebgpuProbe> {
  probe ??= start().catch((e: unknown) => ({ ok: false, detail: `WebGPU failed to start: ${(e as Error).message}`, software: false }));
  return probe;
}

async function start(): Promise<WebgpuProbe> {
  const none = (detail: string): WebgpuProbe => ({ ok: false, detail, software: false });
  if (!isMainThread) return none('GPU tensors are made on the main thread only');
  const flag = process.env.FLINT_GPU?.trim();
  if (flag === '0' || flag === 'false') return none('FLINT_GPU=0 turned GPU detection off');
  const allowSoftware = ['1', 'true'].includes(process.env.FLINT_WEBGPU_SOFTWARE?.trim() ?? '');
  if (!allowSoftware && !hasGpuHint()) return none('no GPU device found (/dev/dri/renderD*, /dev/nvidia0)');
  let dawn: Any;
  try {
    dawn = await import(/* @vite-ignore */ 'webgpu' as string);
  } catch (e) {
    return none(`the optional 'webgpu' package could not be loaded (${(e as Error).message.split('\n')[0]})`);
  }
  let webgpuBackend: Any;
  try {
    // Loaded before navigator.gpu exists, so that it registers its kernels but not its own factory.
    webgpuBackend = await import(/* @vite-ignore */ '@tensorflow/tfjs-backend-webgpu' as string);
  } catch (e) {
    return none(`the optional '@tensorflow/tfjs-backend-webgpu' package could not be loaded (${(e as Error).message.split('\n')[0]})`);
  }
  const g = globalThis as Any;
  for (const [k, v] of Object.entries(dawn.globals as Record<string, unknown>)) if (g[k] === undefined) g[k] = v;

  let gpu: Any = dawn.create([]);
  let adapter: Any = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch {
    adapter = null;
  }
  if (adapter === null && useNvidiaEglIcd()) {
    gpu = dawn.create([]);
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  }
  let software = false;
  if (adapter !== null && isSoftwareAdapter(adapter)) {
    software = true;
    if (!allowSoftware) return none(`only a software adapter (${adapterName(adapter)}) was found; set FLINT_WEBGPU_SOFTWARE=1 to use it`);
  }
  if (adapter === null && allowSoftware) {
    // Mesa's EGL needs a headless platform when there is no display.
    process.env.EGL_PLATFORM ??= 'surfaceless';
    gpu = dawn.create(['backend=opengles']);
    adapter = await gpu.requestAdapter({ featureLevel: 'compatibility' });
    software = true;
  }
  if (adapter === null) {
    return none(
      allowSoftware
        ? 'Dawn found no adapter, not even a software one (install the Mesa EGL and DRI drivers: libegl1 libegl-mesa0 libgl1-mesa-dri)'
        : 'Dawn found no GPU adapter (it needs the Vulkan loader libvulkan.so.1 and a Vulkan driver for the GPU; FLINT_WEBGPU_SOFTWARE=1 allows a software adapter)',
    );
  }
  const limits = adapter.limits;
  const requiredFeatures: string[] = [];
  if (adapter.features.has('timestamp-query')) requiredFeatures.push('timestamp-query');
  const device = await adapter.requestDevice({
    requiredFeatures,
    requiredLimits: {
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    },
  });
  // Let Dawn's event processing that requestDevice scheduled run now: until it has run, Dawn
  // asks for no other, and a synchronous read would find nothing to drive.
  await new Promise<void>((resolve) => setImmediate(resolve));
  // tfjs's backend checks for navigator.gpu when it is constructed.
  if (g.navigator === undefined) g.navigator = {};
  if (g.navigator.gpu === undefined) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  const backend = new webgpuBackend.WebGPUBackend(device, adapter.info);
  patchReads(backend);
  fixKernels(software);
  tf.registerBackend('webgpu', () => backend, -1);
  return { ok: true, detail: adapterName(adapter), software };
}
