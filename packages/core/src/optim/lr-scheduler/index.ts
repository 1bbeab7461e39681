/**
 * `optim.lrScheduler`: learning-rate schedulers (`torch.optim.lr_scheduler`), one file each.
 * Options follow one rule: the optimizer and non-numeric arguments (lambdas, lists of schedulers)
 * are positional; every number, string and boolean is a key of a trailing options object, named as
 * PyTorch's keyword argument in camelCase (`step_size` -> `stepSize`, `T_max` -> `tMax`).
 *
 * @example
 * ```ts
 * import { SGD, lrScheduler } from '@flint/core/optim';
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * const warmup = new lrScheduler.LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * const cosine = new lrScheduler.CosineAnnealingLR(opt, { tMax: 95 });
 * const sched = new lrScheduler.SequentialLR(opt, [warmup, cosine], { milestones: [5] });
 * ```
 * @module
 */
export { LRScheduler } from './scheduler.js';
export type { ParamGroup, SchedulableOptimizer, SchedulerOptions, SchedulerStateDict } from './scheduler.js';
export { LambdaLR } from './lambda-lr.js';
export type { LambdaLROptions, LrLambda } from './lambda-lr.js';
export { MultiplicativeLR } from './multiplicative-lr.js';
export type { MultiplicativeLROptions } from './multiplicative-lr.js';
export { StepLR } from './step-lr.js';
export type { StepLROptions } from './step-lr.js';
export { MultiStepLR } from './multi-step-lr.js';
export type { MultiStepLROptions } from './multi-step-lr.js';
export { ConstantLR } from './constant-lr.js';
export type { ConstantLROptions } from './constant-lr.js';
export { LinearLR } from './linear-lr.js';
export type { LinearLROptions } from './linear-lr.js';
export { ExponentialLR } from './exponential-lr.js';
export type { ExponentialLROptions } from './exponential-lr.js';
export { PolynomialLR } from './polynomial-lr.js';
export type { PolynomialLROptions } from './polynomial-lr.js';
export { CosineAnnealingLR } from './cosine-annealing-lr.js';
export type { CosineAnnealingLROptions } from './cosine-annealing-lr.js';
export { CosineAnnealingWarmRestarts } from './cosine-annealing-warm-restarts.js';
export type { CosineAnnealingWarmRestartsOptions } from './cosine-annealing-warm-restarts.js';
export { CyclicLR } from './cyclic-lr.js';
export type { CyclicLROptions, ScaleFn } from './cyclic-lr.js';
export { OneCycleLR } from './one-cycle-lr.js';
export type { OneCycleLROptions } from './one-cycle-lr.js';
export { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';
export type { ReduceLROnPlateauOptions, Metric } from './reduce-lr-on-plateau.js';
export { SequentialLR } from './sequential-lr.js';
export type { SequentialLROptions } from './sequential-lr.js';
export { ChainedScheduler } from './chained-scheduler.js';
