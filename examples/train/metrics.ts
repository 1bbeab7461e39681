/**
 * The main job's metrics (metrics.py of a PyTorch project) and its results files (result.txt): an
 * evaluator engine with @flint/engine's metrics attached, the metrics read back as plain numbers,
 * and `results.json` / `results.txt` written next to a run.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nn, Tensor } from '@flint/core';
import { Accuracy, ConfusionMatrix, createSupervisedEvaluator, F1, Loss, Precision, Recall, type Engine } from '@flint/engine';
import type { Batch } from './data.js';

/**
 * An evaluator for a classifier: accuracy and mean cross-entropy, and with `detailed` also
 * precision, recall and F1 per class and the confusion matrix.
 *
 * @example
 * ```ts
 * const evaluator = createEvaluator(model, { numClasses: 10, detailed: true });
 * const { metrics } = await evaluator.run(testLoader);
 * ```
 */
export function createEvaluator(model: nn.Module, options: { numClasses: number; detailed?: boolean }): Engine<Batch, [Tensor, Tensor]> {
  const metrics: Record<string, { attach(engine: Engine<any, any>, name: string): void }> = { // eslint-disable-line @typescript-eslint/no-explicit-any
    accuracy: new Accuracy(),
    loss: new Loss((yPred, y) => nn.functional.crossEntropy(yPred, y)),
  };
  if (options.detailed) {
    const precision = new Precision({ average: false });
    const recall = new Recall({ average: false });
    Object.assign(metrics, {
      precision,
      recall,
      f1: new F1({ precision, recall, average: false }),
      confusionMatrix: new ConfusionMatrix(options.numClasses),
    });
  }
  return createSupervisedEvaluator<Batch, [Tensor, Tensor]>(model, { metrics });
}

/**
 * Evaluation results as plain numbers, by class name where per class.
 *
 * @example
 * ```ts
 * const summary: EvalSummary = summarize((await tester.run(testLoader)).metrics, classes);
 * console.log(summary.accuracy, summary.perClass);
 * ```
 */
export interface EvalSummary {
  /** Examples evaluated (with the confusion matrix). */
  samples?: number;
  accuracy: number;
  loss: number;
  /** Macro averages over classes. */
  precision?: number;
  recall?: number;
  f1?: number;
  perClass?: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  /** Row i, column j: examples of class i predicted as class j. */
  confusionMatrix?: number[][];
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function list(v: unknown): number[] {
  return v instanceof Tensor ? (v.tolist() as number[]) : [];
}

/**
 * Reads an evaluator's `state.metrics` (from {@link createEvaluator}) into an {@link EvalSummary}.
 *
 * @example
 * ```ts
 * const summary = summarize(evaluator.state.metrics, classes);
 * summary.accuracy; // 0.8931
 * ```
 */
export function summarize(metrics: Record<string, unknown>, classes: readonly string[]): EvalSummary {
  const cm = metrics.confusionMatrix instanceof Tensor ? (metrics.confusionMatrix.tolist() as number[][]) : undefined;
  const out: EvalSummary = { accuracy: metrics.accuracy as number, loss: metrics.loss as number };
  if (cm) {
    out.samples = cm.flat().reduce((a, b) => a + b, 0);
    const p = list(metrics.precision);
    const r = list(metrics.recall);
    const f = list(metrics.f1);
    out.precision = mean(p);
    out.recall = mean(r);
    out.f1 = mean(f);
    out.perClass = Object.fromEntries(
      classes.map((c, i) => [c, { precision: p[i]!, recall: r[i]!, f1: f[i]!, support: cm[i]!.reduce((a, b) => a + b, 0) }]),
    );
    out.confusionMatrix = cm;
  }
  return out;
}

function pct(v: number | undefined): string {
  return v === undefined ? '-' : `${(100 * v).toFixed(2)}%`;
}

/**
 * A readable report of a summary: the headline numbers, a per-class table and the confusion
 * matrix.
 *
 * @example
 * ```ts
 * console.log(formatSummary(summary));
 * ```
 */
export function formatSummary(s: EvalSummary): string {
  const lines = [
    ...(s.samples === undefined ? [] : [`samples:   ${s.samples}`]),
    `accuracy:  ${pct(s.accuracy)}`,
    `loss:      ${s.loss.toFixed(4)}`,
  ];
  if (s.perClass && s.confusionMatrix) {
    lines.push(`precision: ${pct(s.precision)} (macro)`, `recall:    ${pct(s.recall)} (macro)`, `f1:        ${pct(s.f1)} (macro)`, '');
    const names = Object.keys(s.perClass);
    const w = Math.max(5, ...names.map((n) => n.length));
    lines.push(`${'class'.padEnd(w)}  precision  recall     f1         support`);
    for (const [name, c] of Object.entries(s.perClass)) {
      lines.push(`${name.padEnd(w)}  ${pct(c.precision).padEnd(9)}  ${pct(c.recall).padEnd(9)}  ${pct(c.f1).padEnd(9)}  ${c.support}`);
    }
    lines.push('', 'confusion matrix (rows: true class, columns: predicted class, in the order above):');
    const cw = Math.max(...s.confusionMatrix.flat().map((v) => String(v).length));
    for (const row of s.confusionMatrix) lines.push(`  ${row.map((v) => String(v).padStart(cw)).join(' ')}`);
  }
  return lines.join('\n');
}

/**
 * Writes `results.json` (everything, as JSON) and `results.txt` (a readable report: `title`, then
 * the `text` sections) into `dir`; returns both paths.
 *
 * @example
 * ```ts
 * writeResults('runs/exp1', { test: summary }, 'lenet5 on Fashion-MNIST', [['test', formatSummary(summary)]]);
 * ```
 */
export function writeResults(dir: string, results: Record<string, unknown>, title: string, text: Array<[string, string]>): { json: string; txt: string } {
  const json = join(dir, 'results.json');
  const txt = join(dir, 'results.txt');
  writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  const body = text.map(([heading, t]) => `## ${heading}\n${t}`).join('\n\n');
  writeFileSync(txt, `${title}\n\n${body}\n`);
  return { json, txt };
}
