import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../index.js';
import { tf } from './tf.js';
import { transposeView } from './wasm-fast.js';

type Make = () => tf.Tensor;

/** Runs `f` on the cpu backend (the reference) and on wasm (the fast paths); both results as arrays. */
async function both(f: Make): Promise<{ cpu: { shape: number[]; dtype: string; values: number[] }; wasm: { shape: number[]; dtype: string; values: number[] } }> {
  const run = async (name: 'cpu' | 'wasm') => {
    await setBackend(name);
    return tf.tidy(() => {
      const t = f();
      return { shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync() as ArrayLike<number>) };
    });
  };
  const cpu = await run('cpu');
  const wasm = await run('wasm');
  return { cpu, wasm };
}

/** Deterministic values with ties, negatives and (optionally) NaN; `seed` gives another sequence. */
function values(n: number, nan = false, seed = 0): number[] {
  return Array.from({ length: n }, (_, i) => (nan && (i + seed) % 17 === 0 ? NaN : ((((i + seed) * 7919) % 23) - 11) / 4));
}

function input(shape: number[], dtype: 'float32' | 'int32' | 'bool' = 'float32', nan = false, seed = 0): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = values(n, nan, seed);
  if (dtype === 'bool') return tf.tensor(v.map((x) => (x > 0 ? 1 : 0)), shape, 'bool');
  if (dtype === 'int32') return tf.tensor(v.map((x) => Math.round(x * 4)), shape, 'int32');
  return tf.tensor(v, shape, 'float32');
}

async function expectSame(f: Make): Promise<void> {
  const { cpu, wasm } = await both(f);
  expect(wasm.shape).toEqual(cpu.shape);
  expect(wasm.dtype).toBe(cpu.dtype);
  expect(wasm.values).toEqual(cpu.values);
}

async function expectClose(f: Make): Promise<void> {
  const { cpu, wasm } = await both(f);
  expect(wasm.shape).toEqual(cpu.shape);
  expect(wasm.dtype).toBe(cpu.dtype);
  wasm.values.forEach((v, i) => expect(v).toBeCloseTo(cpu.values[i]!, 3));
}

describe('wasm fast kernels', () => {
  beforeAll(async () => {
    await setBackend('wasm');
  });
  afterAll(async () => {
    await setBackend('wasm');
  });

  it('take the transposes they are meant for, and no others', () => {
    expect(transposeView([128, 784], [1, 0])).not.toBeNull();
    expect(transposeView([256, 129], [1, 0])).not.toBeNull();
    expect(transposeView([3, 128, 64], [0, 2, 1])).not.toBeNull();
    expect(transposeView([1, 128, 1, 64], [3, 2, 1, 0])).not.toBeNull();
    expect(transposeView([784, 128], [1, 0])).toBeNull();
    expect(transposeView([128, 16], [1, 0])).toBeNull();
    expect(transposeView([4, 128, 64], [2, 1, 0])).toBeNull();
    expect(transposeView([0, 128], [1, 0])).toBeNull();
  });

  it('Transpose matches the cpu backend', async () => {
    const cases: [number[], number[], 'float32' | 'int32' | 'bool'][] = [
      [[128, 784], [1, 0], 'float32'],
      [[256, 129], [1, 0], 'float32'],
      [[128, 64], [1, 0], 'int32'],
      [[128, 40], [1, 0], 'bool'],
      [[3, 128, 64], [0, 2, 1], 'float32'],
      [[2, 256, 33], [0, 2, 1], 'float32'],
      [[1, 128, 1, 64], [3, 2, 1, 0], 'float32'],
      [[784, 128], [1, 0], 'float32'],
      [[4, 128, 64], [2, 1, 0], 'float32'],
      [[128, 0], [1, 0], 'float32'],
    ];
    for (const [shape, perm, dtype] of cases) await expectSame(() => tf.transpose(input(shape, dtype), perm));
  });

  it('reductions over leading axes match the cpu backend', async () => {
    await expectClose(() => tf.sum(input([128, 256]), 0));
    await expectClose(() => tf.sum(input([128, 256]), 0, true));
    await expectClose(() => tf.sum(input([128, 10]), [0]));
    await expectClose(() => tf.sum(input([2, 128, 64]), [1], true));
    await expectClose(() => tf.sum(input([128, 33], 'int32'), 0));
    await expectClose(() => tf.mean(input([128, 64]), 0));
    await expectSame(() => tf.max(input([256, 64]), 0, true));
    await expectSame(() => tf.min(input([128, 65]), 0));
    await expectClose(() => tf.prod(tf.add(tf.mul(input([128, 32]), 0.01), 1), 0));
    await expectSame(() => tf.max(input([128, 64]), -1));
  });

  it('Tile matches the cpu backend', async () => {
    await expectSame(() => tf.tile(input([1, 1]), [128, 10]));
    await expectSame(() => tf.tile(input([128, 1]), [1, 10]));
    await expectSame(() => tf.tile(input([2, 3]), [2, 2]));
    await expectSame(() => tf.tile(input([2, 1, 3], 'int32'), [3, 4, 2]));
    await expectSame(() => tf.tile(input([3, 2], 'bool'), [2, 1]));
    await expectSame(() => tf.tile(input([5]), [0]));
    await expectSame(() => tf.broadcastTo(input([1, 1]), [128, 10]));
    await expectSame(() => tf.broadcastTo(input([4]), [3, 2, 4]));
  });

  it('Identity shares the data, and each copy lives until it is disposed', async () => {
    await setBackend('wasm');
    const before = tf.memory().numDataBuffers;
    const x = tf.tensor([1, 2, 3, 4], [2, 2]);
    const y = tf.clone(x);
    expect(tf.memory().numDataBuffers - before).toBe(1);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4]);
    expect(y.shape).toEqual([2, 2]);
    y.dispose();
    expect(tf.memory().numDataBuffers).toBe(before);
    await expectSame(() => tf.where(tf.greater(input([3, 4]), 0), input([3, 4]), input([3, 4], 'float32', false, 2)));
  });

  it('comparisons match the cpu backend, NaN included', async () => {
    const ops = [tf.greater, tf.greaterEqual, tf.less, tf.lessEqual, tf.equal, tf.notEqual];
    for (const op of ops) {
      await expectSame(() => op(input([64, 33], 'float32', true), input([64, 33], 'float32', true, 5)));
      await expectSame(() => op(input([64, 33], 'float32', true), tf.scalar(0.5)));
      await expectSame(() => op(tf.scalar(0.5), input([64, 33], 'float32', true)));
      await expectSame(() => op(input([2, 3], 'float32', true), tf.scalar(NaN)));
      await expectSame(() => op(input([40], 'int32'), tf.scalar(1, 'int32')));
      await expectSame(() => op(input([40], 'bool'), input([40], 'bool', false, 3)));
      await expectSame(() => op(input([4, 1]), input([1, 3])));
      await expectSame(() => op(input([1]), input([3, 1])));
      await expectSame(() => op(input([0, 3]), tf.scalar(1)));
    }
  });
});

/** Deterministic int32 indices in `[0, size)` of `shape`, with runs of consecutive values and repeats. */
function indices(shape: number[], size: number, seed = 0): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => ((i + seed) % 7 < 3 ? (i + seed) % size : ((i + seed) * 7919 + 13) % size));
  return tf.tensor(v, shape, 'int32');
}

/** The error message `f` throws on `name`, or null. */
async function thrown(name: 'cpu' | 'wasm', f: Make): Promise<string | null> {
  await setBackend(name);
  try {
    tf.tidy(() => void f());
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

describe('wasm fast GatherV2 and Slice', () => {
  beforeAll(async () => {
    await setBackend('wasm');
  });
  afterAll(async () => {
    await setBackend('wasm');
  });

  it('replace the stock wasm kernels', () => {
    expect((tf.getKernel('GatherV2', 'wasm') as { flintFast?: boolean }).flintFast).toBe(true);
    expect((tf.getKernel('Slice', 'wasm') as { flintFast?: boolean }).flintFast).toBe(true);
  });

  it('GatherV2 matches the cpu backend on every axis, row width and dtype', async () => {
    const dtypes = ['float32', 'int32', 'bool'] as const;
    // [x shape, axis, indices shape]: row widths 1, short (< 16), exactly 16, long; 1-D and n-D indices.
    const cases: [number[], number, number[]][] = [
      [[7], 0, [5]],
      [[50, 64], 0, [300]],
      [[50, 16], 0, [40]],
      [[50, 17], 0, [3, 11]],
      [[9, 5], 0, [12]],
      [[9, 5], 1, [8]],
      [[9, 5], -1, [2, 3]],
      [[4, 6, 20], 1, [2, 5]],
      [[4, 6, 3], 1, [7]],
      [[4, 6, 3], 2, [4]],
      [[3, 4, 5, 6], 2, [2, 2, 2]],
      [[2, 3, 2, 2, 40], 3, [9]],
      [[1, 1, 8], 2, [8]],
    ];
    for (const dtype of dtypes) {
      for (const [shape, axis, ishape] of cases) {
        const size = shape[axis < 0 ? axis + shape.length : axis]!;
        await expectSame(() => tf.gather(input(shape, dtype, dtype === 'float32'), indices(ishape, size), axis));
      }
    }
  });

  it('GatherV2 with batch dimensions matches the cpu backend', async () => {
    // [x shape, indices shape, axis, batchDims]
    const cases: [number[], number[], number, number][] = [
      [[3, 5, 4], [3, 6], 1, 1],
      [[3, 5, 20], [3, 6], 1, 1],
      [[3, 5, 4], [3, 6], 2, 1],
      [[3, 5], [3, 4], 1, 1],
      [[2, 3, 5, 17], [2, 3, 4], 2, 2],
      [[2, 3, 5, 17], [2, 3, 4], 3, 2],
      [[2, 3, 5, 2], [2, 3, 4, 2], 2, 2],
      [[2, 3, 5, 17], [2, 3, 4], 2, -1],
      [[4, 6, 18], [4, 2, 3], 1, 1],
    ];
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      for (const [shape, ishape, axis, batchDims] of cases) {
        await expectSame(() => tf.gather(input(shape, dtype, true), indices(ishape, shape[axis]!, 3), axis, batchDims));
      }
    }
  });

  it('GatherV2 copies runs of consecutive indices, repeats and a 0-D index', async () => {
    const runs = tf.tensor([0, 1, 2, 3, 7, 8, 2, 3, 9, 9, 0], [11], 'int32');
    await expectSame(() => tf.gather(input([10, 32]), runs, 0));
    await expectSame(() => tf.gather(input([10, 3]), runs, 0));
    await expectSame(() => tf.gather(input([2, 10, 20]), runs, 1));
    await expectSame(() => tf.gather(input([10, 32], 'int32'), tf.scalar(4, 'int32'), 0));
    await expectSame(() => tf.gather(input([3, 10]), tf.scalar(9, 'int32'), 1));
    await expectSame(() => tf.gather(input([10]), tf.range(0, 10, 1, 'int32'), 0));
  });

  it('GatherV2 handles empty inputs, indices and rows', async () => {
    await expectSame(() => tf.gather(input([5, 4]), tf.tensor([], [0], 'int32'), 0));
    await expectSame(() => tf.gather(input([5, 4]), tf.tensor([], [2, 0], 'int32'), 1));
    await expectSame(() => tf.gather(input([0, 4]), tf.tensor([], [0], 'int32'), 0));
    await expectSame(() => tf.gather(input([5, 0]), indices([3], 5), 0));
    await expectSame(() => tf.gather(input([0, 5]), indices([3], 5), 1));
    await expectSame(() => tf.gather(input([3, 0, 2]), tf.tensor([], [3, 0], 'int32'), 1, 1));
  });

  it('GatherV2 refuses out-of-range indices with the stock message', async () => {
    const bad: [number[], number[], number][] = [
      [[4, 3], [0, 4], 0],
      [[4, 3], [1, -1], 1],
      [[4, 3], [3], 1],
      [[0, 3], [0], 0],
    ];
    for (const [shape, ids, axis] of bad) {
      const f = () => tf.gather(input(shape), tf.tensor(ids, [ids.length], 'int32'), axis);
      const cpu = await thrown('cpu', f);
      const wasm = await thrown('wasm', f);
      expect(cpu).toMatch(/^GatherV2: the index value -?\d+ is not in/);
      expect(wasm).toBe(cpu);
    }
    await setBackend('wasm');
    const before = tf.memory().numBytes;
    expect(() => tf.tidy(() => tf.gather(input([4, 3]), tf.tensor([5], [1], 'int32')))).toThrow(/index value 5 is not in \[0, 3\]/);
    expect(tf.memory().numBytes).toBe(before);
  });

  it('indexSelect and embedding keep their bounds errors on wasm', async () => {
    await setBackend('wasm');
    const { tensor, nn, scope } = await import('../index.js');
    scope(() => {
      const x = tensor([[1, 2], [3, 4], [5, 6]]);
      const i = tensor([0, 3], { dtype: 'int32' });
      expect(() => x.indexSelect(0, i)).toThrow(/indexSelect\(\): index 3 is out of bounds for dimension 0 with size 3/);
      expect(() => x.indexSelect(0, tensor([-1], { dtype: 'int32' }))).toThrow(/index -1 is out of bounds for dimension 0/);
      expect(x.indexSelect(0, tensor([2, 0, 2], { dtype: 'int32' })).tolist()).toEqual([[5, 6], [1, 2], [5, 6]]);
      expect(x.indexSelect(1, tensor([1], { dtype: 'int32' })).tolist()).toEqual([[2], [4], [6]]);
      expect(() => nn.functional.embedding(i, x)).toThrow(/embedding\(\).*3/);
    });
  });

  it('GatherV2 writes large outputs whole and leaves no intermediate tensors', async () => {
    await setBackend('wasm');
    const rows = 1000;
    const width = 64;
    const table = tf.tensor(Float32Array.from({ length: rows * width }, (_, i) => i), [rows, width]);
    const ids = Int32Array.from({ length: 6400 }, (_, i) => (i * 7919) % rows);
    const idx = tf.tensor(ids, [ids.length], 'int32');
    const before = tf.memory().numTensors;
    const out = tf.gather(table, idx, 0);
    expect(tf.memory().numTensors).toBe(before + 1);
    const v = out.dataSync();
    let wrong = 0;
    for (let i = 0; i < ids.length; i++) for (let j = 0; j < width; j++) if (v[i * width + j] !== ids[i]! * width + j) wrong++;
    expect(wrong).toBe(0);
    expect(out.shape).toEqual([6400, width]);
    tf.dispose([table, idx, out]);
  });

  it('Slice matches the cpu backend for any rank, dtype and begin/size', async () => {
    // [x shape, begin, size]: leading-dimension blocks, row blocks, single columns, size -1, ranks 1-6.
    const cases: [number[], number[], number[]][] = [
      [[10], [3], [4]],
      [[10, 20], [2, 0], [3, -1]],
      [[10, 20], [0, 5], [10, 7]],
      [[10, 20], [4, 19], [5, 1]],
      [[10, 20], [9, 0], [1, 20]],
      [[4, 5, 6], [1, 2, 0], [2, 2, 6]],
      [[4, 5, 6], [1, 2, 3], [2, 3, 2]],
      [[4, 5, 6], [0, 0, 5], [4, 5, 1]],
      [[4, 5, 6], [2, 1, 0], [1, 3, 6]],
      [[4, 5, 6], [2, 0, 0], [1, 5, 6]],
      [[4, 5, 6], [2, 1, 2], [1, 1, 3]],
      [[4, 5, 6], [0, 0, 0], [4, 5, 6]],
      [[3, 4, 5, 6], [1, 0, 2, 1], [2, 4, 3, 5]],
      [[3, 4, 5, 6], [1, 1, 0, 0], [1, 2, 5, 6]],
      [[2, 3, 4, 5, 6], [1, 1, 1, 1, 1], [1, 2, 3, 4, 5]],
      [[2, 3, 4, 5, 6], [0, 1, 0, 0, 0], [2, 1, 4, 5, 6]],
      [[2, 3, 2, 3, 2, 3], [1, 0, 1, 0, 1, 0], [1, 3, 1, 2, 1, 3]],
      [[64, 4 * 128], [0, 128], [64, 128]],
      [[1, 64, 4 * 32], [0, 0, 96], [1, 64, 32]],
    ];
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      for (const [shape, begin, size] of cases) {
        await expectSame(() => tf.slice(input(shape, dtype, dtype === 'float32'), begin, size));
      }
    }
    await expectSame(() => tf.slice(input([6, 4]), 2));
    await expectSame(() => tf.slice(input([6, 4]), [1], [3]));
  });

  it('Slice handles empty inputs and empty slices', async () => {
    await expectSame(() => tf.slice(input([10, 20]), [2, 3], [0, 5]));
    await expectSame(() => tf.slice(input([10, 20]), [2, 3], [4, 0]));
    await expectSame(() => tf.slice(input([0, 20]), [0, 3], [0, 5]));
    await expectSame(() => tf.slice(input([3, 0, 2], 'int32'), [1, 0, 0], [2, 0, 2]));
  });

  it('split, chunk and narrow through the fast Slice match the cpu backend', async () => {
    const { tensor, split, chunk, narrow, cat } = await import('../index.js');
    const run = async (name: 'cpu' | 'wasm') => {
      await setBackend(name);
      const x = tensor(Array.from({ length: 6 * 5 * 4 }, (_, i) => i * 0.5 - 7), { dtype: 'float32' }).reshape([6, 5, 4]);
      const parts = [...split(x, 2, 0), ...chunk(x, 3, 1), ...split(x, [1, 3], 2), narrow(x, 1, 1, 3)];
      const out = parts.map((p) => p.tolist());
      const joined = cat(split(x, 2, 2), 2).tolist();
      for (const p of parts) p.dispose();
      x.dispose();
      return { out, joined };
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(wasm).toEqual(cpu);
  });

  it('maxPool2d with padding, ties and NaN, and its gradient, match the cpu backend', async () => {
    const { maxPool2d } = await import('../nn/functional/pooling.js');
    const { tensor } = await import('../tensor/create.js');
    const run = async (name: 'cpu' | 'wasm') => {
      await setBackend(name);
      const x = tensor(values(2 * 3 * 9 * 9, true, 5)).reshape([2, 3, 9, 9]).requiresGrad_();
      const y = maxPool2d(x, 3, { stride: 2, padding: 1 });
      y.mul(tensor(values(y.numel(), false, 2)).reshape(y.shape)).sum().backward();
      const r = { y: y.tolist(), grad: x.grad!.tolist() };
      x.dispose();
      y.dispose();
      return r;
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(wasm).toEqual(cpu);
  });
});
