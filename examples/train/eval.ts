/**
 * Evaluates a checkpoint of the main job (eval.py of a PyTorch project): rebuilds the model the checkpoint
 * names, loads its weights, runs it over the test set (or the run's validation set) and writes
 * accuracy, loss, precision / recall / F1 per class and the confusion matrix to `results.json`
 * and `results.txt`, by default in `<run>/eval/<checkpoint name>/` next to the options used.
 *
 *   pnpm --filter @flint/examples eval --checkpoint runs/<run-name>              # its best checkpoint
 *   pnpm --filter @flint/examples eval --checkpoint runs/<run-name>/checkpoints/checkpoint_2532.safetensors --split val
 *
 * Data options left out are those the run was trained with (options.json), so `--split val`
 * evaluates the same validation samples the run held out.
 */
import { basename, join, relative, resolve } from 'node:path';
import * as flint from '@flint/core';
import { Checkpoint } from '@flint/engine';
import { loadData, makeLoader } from './data.js';
import { createEvaluator, formatSummary, summarize, writeResults } from './metrics.js';
import { createModel, MODEL_NAMES } from './models.js';
import { commonOptions, evalParser, saveOptions, type EvalOptions } from './options.js';
import { resolveCheckpoint, runDirOf } from './run-dir.js';

const parser = evalParser('eval.ts');
const { values: cli, given } = parser.parseOrExit(process.argv.slice(2));

function fail(message: string, status = 2): never {
  process.stderr.write(`${parser.prog}: error: ${message}\n`);
  process.exit(status);
}

let checkpointPath: string;
try {
  checkpointPath = resolveCheckpoint(cli.checkpoint, 'best');
} catch (e) {
  fail(`--checkpoint: ${(e as Error).message}`);
}
// The run's options (the tensors loaded with them are freed at the end of the scope).
const trained = await flint.scope(async () => (await flint.load<{ run?: { options?: Record<string, unknown> } }>(checkpointPath)).run?.options);
if (trained === undefined || typeof trained.model !== 'string' || !(MODEL_NAMES as readonly string[]).includes(trained.model)) {
  fail(`--checkpoint: ${checkpointPath} is not a checkpoint of the main job (it names no model it knows)`);
}

// The data options the run used, unless given here.
const opts = { ...cli } as EvalOptions & Record<string, unknown>;
for (const key of Object.keys(commonOptions) as Array<keyof typeof commonOptions>) {
  if (!given.has(key) && trained[key] !== undefined) (opts as Record<string, unknown>)[key] = trained[key];
}

let splits: ReturnType<typeof loadData>;
try {
  splits = loadData(opts);
} catch (e) {
  fail((e as Error).message, 1);
}
opts.data = splits.data;

const model = createModel(trained.model);
await Checkpoint.loadObjects({ model }, checkpointPath);

const dataset = opts.split === 'val' ? splits.val : splits.test;
const loader = makeLoader(dataset, { batchSize: 4 * opts.batchSize, shuffle: false, workers: opts.workers });
const outDir = resolve(opts.out ?? join(runDirOf(checkpointPath), 'eval', `${basename(checkpointPath, '.safetensors')}-${opts.split}`));
const rel = (p: string) => relative(process.cwd(), p) || '.';

console.log(`evaluating ${rel(checkpointPath)} (${trained.model}) on ${dataset.len()} ${opts.split === 'val' ? 'validation' : 'test'} images of ${splits.source}`);
const evaluator = createEvaluator(model, { numClasses: splits.classes.length, detailed: true });
try {
  const started = performance.now();
  const { metrics } = await evaluator.run(loader);
  const summary = summarize(metrics, splits.classes);
  saveOptions(outDir, { ...JSON.parse(JSON.stringify(opts)), checkpoint: checkpointPath });
  const files = writeResults(
    outDir,
    { checkpoint: checkpointPath, model: trained.model, data: splits.data, source: splits.source, split: opts.split, seconds: (performance.now() - started) / 1000, [opts.split]: summary },
    `${trained.model} from ${checkpointPath}, on the ${opts.split === 'val' ? 'validation' : 'test'} images of ${splits.source}`,
    [[opts.split === 'val' ? 'validation set' : 'test set', formatSummary(summary)]],
  );
  console.log(formatSummary(summary));
  console.log(`results: ${rel(files.json)}, ${rel(files.txt)}`);
} finally {
  await loader.shutdown();
  model.dispose();
}
