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
