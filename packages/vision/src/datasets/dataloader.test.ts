/** Vision datasets and transforms through core's DataLoader, as the seeds use them. */
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend, type Tensor } from '@flint/core';
import type { Image } from '../image.js';
import { DataLoader, Dataset, randomSplit } from '@flint/core/data';
import { Compose, Normalize, RandomHorizontalFlip, ToTensor } from '../transforms/index.js';
import { Digits } from './digits.js';

describe('DataLoader over vision datasets', () => {
  beforeAll(async () => {
    await setBackend('wasm');
  });

  it('digits + Compose([ToTensor, Normalize]) gives [64, 1, 28, 28] float batches and int labels', async () => {
    const ds = new Digits({ transform: new Compose<Image, Tensor>([new RandomHorizontalFlip(), new ToTensor(), new Normalize([0.1307], [0.3081])]) });
    expect(ds).toBeInstanceOf(Dataset);
    const [train] = randomSplit(ds, [0.9, 0.1]);
    const loader = new DataLoader(train!, { batchSize: 64, shuffle: true });
    let n = 0;
    let seen = 0;
    for await (const [x, y] of loader) {
      expect(x.shape.slice(1)).toEqual([1, 28, 28]);
      expect(x.dtype).toBe('float32');
      expect(y.shape).toEqual([x.shape[0]]);
      seen += x.shape[0]!;
      if (++n === 3) break;
    }
    expect(seen).toBe(192);
  });
});
