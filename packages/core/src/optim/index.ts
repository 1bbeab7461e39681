/**
 * `@flint/core/optim`: optimizers and learning-rate schedulers (`torch.optim`).
 *
 * @example
 * ```ts
 * import { SGD, lrScheduler } from '@flint/core/optim';
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * const sched = new lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * ```
 * @module
 */
export * from './optimizers.js';
export * as lrScheduler from './lr-scheduler/index.js';
