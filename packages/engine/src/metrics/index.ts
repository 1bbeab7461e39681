/**
 * Metrics for `@flint/engine`, after PyTorch-Ignite's `ignite.metrics`: each is
 * `reset` / `update` / `compute`, and `attach(engine, name)` keeps `engine.state.metrics[name]`
 * up to date.
 *
 * @example
 * ```ts
 * import { Accuracy, Loss, ConfusionMatrix, mIoU } from '@flint/engine';
 * new Accuracy().attach(evaluator, 'accuracy');
 * new Loss((yPred, y) => nn.functional.crossEntropy(yPred, y)).attach(evaluator, 'loss');
 * ```
 * @module
 */
export { Metric, MetricsLambda, NotComputableError } from './metric.js';
export type { AnyMetric, MetricEngine, MetricEventHandle, MetricOptions } from './metric.js';
export {
  MetricUsage,
  EpochWise,
  RunningEpochWise,
  BatchWise,
  RunningBatchWise,
  SingleEpochRunningBatchWise,
  BatchFiltered,
} from './usage.js';
export type { MetricUsageName } from './usage.js';
export type { MetricValue } from './values.js';
export type { ClassificationType } from './classification.js';
export { Accuracy } from './accuracy.js';
export type { AccuracyOptions } from './accuracy.js';
export { BasePrecisionRecall } from './precision-recall.js';
export type { PrecisionRecallAverage, PrecisionRecallOptions } from './precision-recall.js';
export { Precision } from './precision.js';
export { Recall } from './recall.js';
export { Fbeta, F1 } from './fbeta.js';
export type { FbetaOptions } from './fbeta.js';
export { ConfusionMatrix } from './confusion-matrix.js';
export type { ConfusionMatrixAverage, ConfusionMatrixOptions } from './confusion-matrix.js';
export { IoU, mIoU, DiceCoefficient, cmAccuracy } from './iou.js';
export type { IoUOptions } from './iou.js';
export { TopKCategoricalAccuracy } from './top-k-categorical-accuracy.js';
export type { TopKCategoricalAccuracyOptions } from './top-k-categorical-accuracy.js';
export { Loss } from './loss.js';
export type { LossFunction, LossOptions, LossOutput } from './loss.js';
export { MeanAbsoluteError } from './mean-absolute-error.js';
export { MeanSquaredError } from './mean-squared-error.js';
export { RootMeanSquaredError } from './root-mean-squared-error.js';
export { MeanPairwiseDistance } from './mean-pairwise-distance.js';
export type { MeanPairwiseDistanceOptions } from './mean-pairwise-distance.js';
export { Average } from './average.js';
export { GeometricAverage } from './geometric-average.js';
export { R2Score } from './r2-score.js';
export { RunningAverage } from './running-average.js';
export type { RunningAverageOptions } from './running-average.js';
