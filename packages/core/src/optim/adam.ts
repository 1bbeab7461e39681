/**
 * `Adam` (`torch.optim.Adam`), and the update it shares with `AdamW`.
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';
import { maximum } from '../ops/arith.js';
import { zerosLike } from '../tensor/create.js';
import { nativeAdamStep } from '../kernels/native.js';
import { keepTensor } from '../memory/scope.js';
import { Optimizer, checkBetas, checkBoolean, checkNonNegative, gradOf, withDefaults, type ParamGroup, type Params } from './optimizer.js';

/**
 * Options of {@link Adam} and {@link AdamW}.
 *
 * @example
 * ```ts
 * const options: Partial<AdamOptions> = { lr: 3e-4, betas: [0.9, 0.98], amsgrad: true };
 * new Adam(model.parameters(), options);
 * ```
 */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** Weight decay: an L2 penalty for Adam (default 0), decoupled for AdamW (default 1e-2). */
  weightDecay: number;
  /** Use the AMSGrad variant: the maximum of past second moments (default false). */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/**
 * The state of one parameter of {@link Adam} and {@link AdamW} (plus `maxExpAvgSq` with
 * `amsgrad`).
 *
 * @example
 * ```ts
 * const { step, expAvg } = opt.state.get(weight) as AdamState;
 * ```
 */
export interface AdamState {
  [key: string]: Tensor | number | null;
  step: number;
  expAvg: Tensor;
  expAvgSq: Tensor;
}

/** Option checks of Adam and AdamW. @internal */
export function checkAdamOptions(o: Partial<AdamOptions>, where: string): void {
  checkNonNegative(where, 'lr', o.lr);
  checkNonNegative(where, 'eps', o.eps);
  checkBetas(where, o.betas);
  checkNonNegative(where, 'weightDecay', o.weightDecay);
  checkBoolean(where, 'amsgrad', o.amsgrad);
  checkBoolean(where, 'maximize', o.maximize);
}

/** The state of a parameter before its first Adam or AdamW step. @internal */
export function adamState(p: Tensor, amsgrad: boolean): AdamState {
  return { step: 0, expAvg: zerosLike(p), expAvgSq: zerosLike(p), ...(amsgrad ? { maxExpAvgSq: zerosLike(p) } : {}) };
}

/**
 * One Adam update of `p` (PyTorch's `_single_tensor_adam`); `decoupled` applies AdamW's weight
 * decay (`p *= 1 - lr * weightDecay`) instead of adding an L2 penalty to the gradient. @internal
 */
export function adamUpdate(p: Tensor, s: AdamState, g: ParamGroup<AdamOptions>, decoupled: boolean): void {
  if (inPlace(p, s, g, decoupled)) return;
  const [beta1, beta2] = g.betas;
  const grad = gradOf(p, { maximize: g.maximize, weightDecay: decoupled ? 0 : g.weightDecay });
  const step = ++s.step;
  if (decoupled) p.mul_(1 - g.lr * g.weightDecay);
  s.expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
  s.expAvgSq.mul_(beta2).add_(grad.mul(grad), { alpha: 1 - beta2 });
  const stepSize = g.lr / (1 - beta1 ** step);
  let second = s.expAvgSq;
  if (g.amsgrad) {
    const max = (s.maxExpAvgSq ??= keepTensor(zerosLike(p))) as Tensor;
    max.copy_(maximum(max, s.expAvgSq));
    second = max;
  }
  const denom = second.sqrt().div(Math.sqrt(1 - beta2 ** step)).add(g.eps);
  p.add_(s.expAvg.div(denom), { alpha: -stepSize });
}

/**
 * Adam (`torch.optim.Adam`): adaptive moment estimation, with optional AMSGrad, L2 weight decay
 * and `maximize`, following PyTorch's update step for step.
 *
 * @example
 * ```ts
 * const opt = new Adam(model.parameters(), { lr: 1e-3, betas: [0.9, 0.999] });
 * opt.zeroGrad();
 * lossFn(model(x), y).backward();
 * opt.step();
 * ```
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, withDefaults('Adam()', { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false }, options));
  }

  protected override checkOptions(o: Partial<AdamOptions>, where: string): void {
    checkAdamOptions(o, where);
  }

  protected updateGroup(g: ParamGroup<AdamOptions>): void {
    for (const p of g.params) if (p.grad !== null) adamUpdate(p, this.stateFor(p, () => adamState(p, g.amsgrad)), g, false);
  }
}

/**
 * The step on the native kernels, in place (one pass instead of about a dozen kernels, and no new
 * tensors), when they can take it; same bits as {@link adamUpdate}'s ops. Returns false when the
 * ops must run.
 */
function inPlace(p: Tensor, s: AdamState, g: ParamGroup<AdamOptions>, decoupled: boolean): boolean {
  const grad = p.grad!;
  const max = g.amsgrad ? ((s.maxExpAvgSq as Tensor | null | undefined) ?? null) : null;
  if (p.device !== 'cpu' || grad.device !== 'cpu' || (g.amsgrad && max === null)) return false;
  const state = [s.expAvg, s.expAvgSq, ...(max === null ? [] : [max])];
  const done = nativeAdamStep(p._handle, grad._handle, s.expAvg._handle, s.expAvgSq._handle, max === null ? null : max._handle, {
    lr: g.lr, betas: g.betas, eps: g.eps, weightDecay: g.weightDecay, step: s.step + 1, decoupled, maximize: g.maximize,
  });
  if (!done) return false;
  s.step++;
  // As after any in-place op: saved copies of the old values are now stale.
  p._version++;
  for (const t of state) t._version++;
  return true;
}
