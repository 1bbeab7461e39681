/**
 * `SGD`: stochastic gradient descent with optional momentum, dampening, Nesterov momentum and
 * weight decay (`torch.optim.SGD`).
 * @module
 */
import { ArgumentError } from '../errors.js';
import { nativeSgdStep } from '../kernels/native.js';
import { keepTensor } from '../memory/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, checkBoolean, checkNonNegative, checkNumber, gradOf, withDefaults, type ParamGroup, type Params } from './optimizer.js';

/**
 * Options of {@link SGD}.
 *
 * @example
 * ```ts
 * const options: Partial<SGDOptions> = { lr: 0.1, momentum: 0.9, nesterov: true };
 * new SGD(model.parameters(), options);
 * ```
 */
export interface SGDOptions {
  /** Learning rate (required: here or in every parameter group). */
  lr: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Dampening of the momentum (default 0). */
  dampening: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum (default false); needs `momentum > 0` and `dampening` 0. */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/**
 * The state of one parameter of {@link SGD}: `momentumBuffer` is `null` without momentum.
 *
 * @example
 * ```ts
 * const buf = (opt.state.get(weight) as SGDState).momentumBuffer;
 * ```
 */
export interface SGDState {
  [key: string]: Tensor | number | null;
  momentumBuffer: Tensor | null;
}

/**
 * Stochastic gradient descent, optionally with momentum (`torch.optim.SGD`), with PyTorch's
 * formulation: `buf = momentum * buf + (1 - dampening) * g`, `p -= lr * buf` (or
 * `p -= lr * (g + momentum * buf)` with `nesterov`); the first step sets `buf = g`.
 *
 * @example
 * ```ts
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad();
 * lossFn(model(x), y).backward();
 * opt.step();
 * ```
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super(
      params,
      withDefaults('SGD()', { lr: undefined as unknown as number, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false }, options),
    );
  }

  protected override checkOptions(o: Partial<SGDOptions>, where: string): void {
    checkNonNegative(where, 'lr', o.lr);
    checkNonNegative(where, 'momentum', o.momentum);
    checkNonNegative(where, 'weightDecay', o.weightDecay);
    checkNumber(where, 'dampening', o.dampening);
    checkBoolean(where, 'nesterov', o.nesterov);
    checkBoolean(where, 'maximize', o.maximize);
    if (o.nesterov && (!((o.momentum ?? 0) > 0) || (o.dampening ?? 0) !== 0)) {
      throw new ArgumentError(`${where}nesterov requires momentum > 0 and dampening 0 (got momentum ${o.momentum ?? 0}, dampening ${o.dampening ?? 0})`);
    }
  }

  protected updateGroup(g: ParamGroup<SGDOptions>): void {
    for (const p of g.params) {
      if (p.grad === null) continue;
      const s = this.stateFor<SGDState>(p, () => ({ momentumBuffer: null }));
      if (inPlace(p, p.grad, g.momentum === 0 ? null : s.momentumBuffer, g)) continue;
      let d = gradOf(p, g);
      if (g.momentum !== 0) {
        let buf = s.momentumBuffer;
        if (buf === null) buf = s.momentumBuffer = keepTensor(d.clone());
        else buf.mul_(g.momentum).add_(d, { alpha: 1 - g.dampening });
        d = g.nesterov ? d.add(buf, { alpha: g.momentum }) : buf;
      }
      p.add_(d, { alpha: -g.lr });
    }
  }
}

/**
 * The step on the native kernels, in place (one pass instead of four to six kernels, and no new
 * tensors), when they can take it: a CPU parameter whose momentum buffer exists already (the first
 * step makes it) or is not needed. Returns false when the ops above must run.
 */
function inPlace(p: Tensor, grad: Tensor, buf: Tensor | null, g: ParamGroup<SGDOptions>): boolean {
  if (p.device !== 'cpu' || grad.device !== 'cpu' || (g.momentum !== 0 && buf === null)) return false;
  const done = nativeSgdStep(p._handle, grad._handle, buf === null ? null : buf._handle, g);
  if (!done) return false;
  // As after any in-place op: saved copies of the old values are now stale.
  p._version++;
  if (buf !== null) buf._version++;
  return true;
}
