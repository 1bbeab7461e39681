/**
 * Kernels that a backend lacks are supplied by Flint, so a raw "Kernel ... not registered" error
 * never reaches a user. The generic path runs the cpu backend's kernel on a copy of the inputs and
 * writes the result back into the active backend.
 * @internal
 * @module
 */
import { tf } from './tf.js';

type TensorInfo = { dataId: object; shape: number[]; dtype: tf.DataType };
type Backend = {
  readSync(dataId: object): tf.backend_util.BackendValues;
  write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): object;
  disposeData(dataId: object, force?: boolean): boolean;
};

/** Registers, for `backendName`, every kernel that the cpu backend has and it lacks. */
export function registerCpuFallbacks(backendName: string): string[] {
  const have = new Set(tf.getKernelsForBackend(backendName).map((k) => k.kernelName));
  const added: string[] = [];
  for (const kernel of tf.getKernelsForBackend('cpu')) {
    if (have.has(kernel.kernelName)) continue;
    // Complex and string kernels carry data that does not round-trip through write(); skip them.
    if (/^(Complex|Real|Imag|ComplexAbs|FFT|IFFT|RFFT|IRFFT|StaticRegexReplace|Draw|String|Ragged)/.test(kernel.kernelName)) continue;
    tf.registerKernel({
      kernelName: kernel.kernelName,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) => {
        const target = backend as unknown as Backend;
        const cpu = tf.findBackend('cpu') as unknown as Backend;
        const moved: Record<string, TensorInfo> | TensorInfo[] = Array.isArray(inputs) ? [] : {};
        const created: object[] = [];
        for (const [name, info] of Object.entries(inputs as Record<string, TensorInfo>)) {
          if (info == null) continue;
          const dataId = cpu.write(target.readSync(info.dataId), info.shape, info.dtype);
          created.push(dataId);
          (moved as Record<string, TensorInfo>)[name] = { dataId, shape: info.shape, dtype: info.dtype };
        }
        try {
          const out = kernel.kernelFunc({ inputs: moved as never, attrs, backend: cpu as never });
          const outs = (Array.isArray(out) ? out : [out]) as TensorInfo[];
          const result = outs.map((o) => {
            const dataId = target.write(cpu.readSync(o.dataId), o.shape, o.dtype);
            cpu.disposeData(o.dataId, true);
            return { dataId, shape: o.shape, dtype: o.dtype };
          });
          return (Array.isArray(out) ? result : result[0]) as never;
        } finally {
          for (const id of created) cpu.disposeData(id, true);
        }
      },
    });
    added.push(kernel.kernelName);
  }
  return added;
}
