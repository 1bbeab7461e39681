/**
 * Spoken-digit recognition: synthesises the digits 0-9 with Debian's espeak-ng (several voices,
 * speeds and pitches; @flint/audio's `datasets.buildSpokenDigits`), turns each clip into a
 * log-mel spectrogram (`transforms.MelSpectrogram` + `AmplitudeToDB`), trains a small CNN on
 * them, and prints the test accuracy. Audio samples, their spectrograms as images, the loss and
 * the accuracy are logged with @flint/board's SummaryWriter (`pnpm board` shows them).
 *
 *   pnpm --filter @flint/examples spoken-digits                      # 240 clips, 12 epochs
 *   pnpm --filter @flint/examples spoken-digits --limit 80 --epochs 4
 *   pnpm --filter @flint/examples spoken-digits --help
 *
 * Needs the espeak-ng and sox commands (`apt-get install espeak-ng sox`).
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as flint from '@flint/core';
import { nn, optim } from '@flint/core';
import type { Tensor } from '@flint/core';
import { DataLoader, TensorDataset } from '@flint/core/data';
import { datasets, loadSync, transforms } from '@flint/audio';
import { SummaryWriter } from '@flint/board';

const HELP = `Usage: spoken-digits.ts [options]

Synthesises spoken digits with espeak-ng, trains a CNN on their mel spectrograms and prints the
test accuracy; logs audio, spectrogram images, loss and accuracy to --logdir.

Options:
  --epochs N        training epochs (default 12)
  --batch-size N    clips per batch (default 16)
  --lr X            Adam learning rate (default 0.003)
  --limit N         use at most N clips, balanced over the digits (default: all 240)
  --test-every N    every N-th clip (by voice, speed and pitch) is held out for testing (default 5)
  --data DIR        where the clips are built and cached (default: <tmp>/flint-spoken-digits)
  --logdir DIR      board log folder (default: examples/runs/spoken-digits)
  --seed N          seed of weights and shuffling (default 0)
  -h, --help        show this help`;

let parsed;
try {
  parsed = parseArgs({
    options: {
      epochs: { type: 'string', default: '12' },
      'batch-size': { type: 'string', default: '16' },
      lr: { type: 'string', default: '0.003' },
      limit: { type: 'string' },
      'test-every': { type: 'string', default: '5' },
      data: { type: 'string', default: join(tmpdir(), 'flint-spoken-digits') },
      logdir: { type: 'string', default: fileURLToPath(new URL('./runs/spoken-digits', import.meta.url)) },
      seed: { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (e) {
  console.error(`spoken-digits: ${(e as Error).message}; see --help`);
  process.exit(2);
}
const args = parsed.values;
if (args.help) {
  console.log(HELP);
  process.exit(0);
}

function option(name: string, value: string | undefined, { integer = true, min = 1 } = {}): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min) {
    console.error(`spoken-digits: --${name} must be ${integer ? 'an integer' : 'a number'} >= ${min} (got ${JSON.stringify(value)}); see --help`);
    process.exit(2);
  }
  return n;
}
const epochs = option('epochs', args.epochs);
const batchSize = option('batch-size', args['batch-size']);
const lr = option('lr', args.lr, { integer: false, min: Number.MIN_VALUE });
const limit = args.limit === undefined ? Infinity : option('limit', args.limit, { min: 20 });
const testEvery = option('test-every', args['test-every'], { min: 2 });
const seed = option('seed', args.seed, { min: 0 });

const SAMPLE_RATE = 16000;
const CLIP = SAMPLE_RATE; // every clip is cut or zero-padded to one second

/** Log-mel features [1, 40, 101] of a [1, time] waveform. */
const melSpec = new transforms.MelSpectrogram({ sampleRate: SAMPLE_RATE, nFft: 400, hopLength: 160, nMels: 40 });
const toDb = new transforms.AmplitudeToDB({ stype: 'power', topDb: 80 });
function features(waveforms: Tensor): Tensor {
  return flint.scope(() => {
    const db = toDb(melSpec(waveforms)); // [N, 40, 101]
    // Per-clip standardisation: loudness differs between voices.
    const mean = db.mean([1, 2], { keepdim: true });
    const std = db.std([1, 2], { keepdim: true }).add(1e-5);
    return db.sub(mean).div(std).unsqueeze(1);
  });
}

/** conv(1->16) relu pool, conv(16->32) relu pool, mean over time, linear 32*10 -> 10. */
class DigitCNN extends nn.Module {
  conv1 = new nn.Conv2d(1, 16, 3, { padding: 1 });
  conv2 = new nn.Conv2d(16, 32, 3, { padding: 1 });
  pool = new nn.MaxPool2d(2);
  fc = new nn.Linear(32 * 10, 10);
  forward(x: Tensor): Tensor {
    const relu = nn.functional.relu;
    x = this.pool(relu(this.conv1(x))); // [N, 16, 20, 50]
    x = this.pool(relu(this.conv2(x))); // [N, 32, 10, 25]
    return this.fc(x.mean(3).flatten(1));
  }
}

const start = performance.now();
flint.manualSeed(seed);
mkdirSync(args.data, { recursive: true });
const built = datasets.buildSpokenDigits(args.data);
const folder = new datasets.AudioFolder(args.data);

// Clip i of digit d is `folder.samples` entry d * perDigit + i; take the same count per digit.
const perDigit = folder.len() / 10;
const keepPerDigit = Math.min(perDigit, Math.floor(limit / 10));
const trainIdx: number[] = [];
const testIdx: number[] = [];
for (let d = 0; d < 10; d++) {
  for (let i = 0; i < keepPerDigit; i++) {
    // Spread the kept clips over voices, speeds and pitches.
    const j = Math.floor((i * perDigit) / keepPerDigit);
    (i % testEvery === testEvery - 1 ? testIdx : trainIdx).push(d * perDigit + j);
  }
}

/** Waveforms [N, CLIP] and labels [N] of the given clips. */
function loadClips(indices: number[]): { waves: Tensor; labels: Tensor } {
  const buf = new Float32Array(indices.length * CLIP);
  indices.forEach((idx, n) => {
    const { waveform, sampleRate } = loadSync(folder.samples[idx]![0]);
    if (sampleRate !== SAMPLE_RATE) throw new Error(`spoken-digits: ${folder.samples[idx]![0]} is ${sampleRate} Hz, expected ${SAMPLE_RATE}`);
    const data = waveform.dataSync();
    buf.set(data.subarray(0, Math.min(CLIP, data.length)), n * CLIP);
    waveform.dispose();
  });
  const flat = flint.tensor(buf);
  const waves = flat.reshape([indices.length, CLIP]);
  flat.dispose();
  return { waves, labels: flint.tensor(indices.map((i) => folder.samples[i]![1]), { dtype: 'int32' }) };
}

const train = loadClips(trainIdx);
const test = loadClips(testIdx);
const trainX = features(train.waves);
const testX = features(test.waves);
const generator = new flint.Generator(seed);
const trainLoader = new DataLoader(new TensorDataset(trainX, train.labels), { batchSize, shuffle: true, generator });

const writer = new SummaryWriter(args.logdir);
// A few test clips as audio, and their log-mel spectrograms as images (low frequencies at the bottom).
for (let k = 0; k < Math.min(3, testIdx.length); k++) {
  const clip = testIdx[Math.floor((k * testIdx.length) / 3)]!;
  const n = testIdx.indexOf(clip);
  const digit = folder.samples[clip]![1];
  writer.addAudio(`clips/digit_${digit}`, test.waves.index(n).dataSync() as Float32Array, 0, { sampleRate: SAMPLE_RATE });
  const img = flint.scope(() => {
    const spec = testX.index(n, 0).flip(0); // [40, 101]
    const lo = spec.min().item();
    const hi = spec.max().item();
    return spec.sub(lo).div(hi - lo + 1e-6).dataSync() as Float32Array;
  });
  await writer.addImage(`mel/digit_${digit}`, { data: img, shape: [40, 101] }, 0, { dataformats: 'HW' });
}

const model = new DigitCNN();
const criterion = new nn.CrossEntropyLoss();
const optimizer = new optim.Adam(model.parameters(), { lr });

function accuracy(): { correct: number; total: number } {
  model.eval();
  const correct = flint.noGrad(() => flint.scope(() => model(testX).argmax(1).eq(test.labels).sum().item()));
  model.train();
  return { correct, total: testIdx.length };
}

console.log(
  `spoken digits (espeak-ng, ${built.files.length} clips in ${args.data}, ${built.written} built now): ` +
    `${trainIdx.length} training and ${testIdx.length} test clips; backend ${flint.backend()}; Adam lr ${lr}, batch size ${batchSize}, ${epochs} epoch${epochs === 1 ? '' : 's'}`,
);
try {
  let step = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    let lossSum = 0;
    let batches = 0;
    for (const [x, y] of trainLoader) {
      optimizer.zeroGrad();
      const loss = criterion(model(x), y);
      loss.backward();
      optimizer.step();
      const v = loss.item();
      writer.addScalar('loss/train', v, step++);
      lossSum += v;
      batches++;
    }
    const { correct, total } = accuracy();
    writer.addScalar('accuracy/test', correct / total, epoch);
    console.log(`epoch ${epoch}: train loss ${(lossSum / batches).toFixed(4)}, test accuracy ${((100 * correct) / total).toFixed(1)}%`);
  }
  const { correct, total } = accuracy();
  const wall = (performance.now() - start) / 1000;
  console.log(`test accuracy: ${((100 * correct) / total).toFixed(2)}% (${correct}/${total}), wall time ${wall.toFixed(1)} s, logs in ${args.logdir}`);
} finally {
  await writer.close();
  model.dispose();
  optimizer.dispose();
}
