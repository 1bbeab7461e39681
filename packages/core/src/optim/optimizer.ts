/**
 * `Optimizer`, the base of every optimizer (`torch.optim.Optimizer`): parameter groups with
 * per-group options, per-parameter state, `zeroGrad`, `step(closure)`, and state dicts in
 * PyTorch's layout. A concrete optimizer validates its options and writes one `updateGroup`.
 * @module
 */
import { enableGrad, noGrad } from '../autograd/grad-mode.js';
import { ArgumentError, describe } from '../errors.js';
import { keepTensor, scope } from '../memory/scope.js';
import { StateDictError } from '../nn/module.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Options every optimizer has: the learning rate, which LR schedulers change.
 *
 * @example
 * ```ts
 * for (const g of opt.paramGroups) g.lr *= 0.1; // what a step of StepLR does
 * ```
 */
export interface OptimizerOptions {
  /** Learning rate. */
  lr: number;
}

/**
 * One parameter's optimizer state: tensors (moment estimates...) and numbers (`step`).
 *
 * @example
 * ```ts
 * const s: ParamState | undefined = opt.state.get(model.fc.weight);
 * ```
 */
export type ParamState = Record<string, Tensor | number | null>;

/**
 * A parameter group as the optimizer holds it: the parameters and every option, resolved
 * against the defaults. Change options here (`opt.paramGroups[0].lr = 0.01`) to change training;
 * extra keys (a group `name`, a scheduler's `initialLr`) are kept and saved.
 *
 * @example
 * ```ts
 * const g: ParamGroup<SGDOptions> = opt.paramGroups[0];
 * g.lr = 0.01;
 * ```
 */
export type ParamGroup<O> = O & { params: Tensor[]; [key: string]: unknown };

/**
 * A parameter group as given to an optimizer: parameters and any options to override.
 *
 * @example
 * ```ts
 * const head: ParamGroupInput<SGDOptions> = { params: model.head.parameters(), lr: 0.1 };
 * new SGD([{ params: model.body.parameters() }, head], { lr: 0.01 });
 * ```
 */
export type ParamGroupInput<O> = Partial<O> & { params: Iterable<Tensor> | Tensor; [key: string]: unknown };

/**
 * What optimizers accept as parameters: tensors (`model.parameters()`) or parameter groups.
 *
 * @example
 * ```ts
 * const params: Params<AdamOptions> = model.parameters();
 * new Adam(params);
 * ```
 */
export type Params<O> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

/**
 * An optimizer's state in PyTorch's layout: per-parameter state keyed by the parameter's number
 * (counting across groups in order), and each group's options with its parameters' numbers.
 *
 * @example
 * ```ts
 * const sd: OptimizerStateDict = opt.stateDict();
 * // { state: { 0: { step: 1, expAvg: Tensor, ... } }, paramGroups: [{ lr: 0.001, ..., params: [0, 1] }] }
 * ```
 */
export interface OptimizerStateDict<O = Record<string, unknown>> {
  state: Record<number, ParamState>;
  paramGroups: (O & { params: number[]; [key: string]: unknown })[];
}

/** Copies option values, so no two groups share an array (`betas`). */
function copyOptions<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = Array.isArray(v) ? [...(v as unknown[])] : v;
  return out as T;
}

function isGroup(v: unknown): v is ParamGroupInput<unknown> {
  return typeof v === 'object' && v !== null && !(v instanceof Tensor);
}

/** A private copy of a saved state tensor, cast to its parameter's dtype and device. */
function stateCopy(v: Tensor, p: Tensor): Tensor {
  const moved = v.to({ dtype: p.dtype, device: p.device });
  return moved === v ? v.clone() : moved;
}

/**
 * The base class of optimizers (`torch.optim.Optimizer`). It owns its state tensors: they
 * outlive every `scope()`, are replaced by {@link loadStateDict} and freed by {@link dispose}.
 * Updates run in place on the parameters, without recording the graph; their temporaries are
 * freed before `step` returns, so a training loop keeps a flat tensor count.
 *
 * A new optimizer passes its defaults to `super`, validates options in `checkOptions`, and
 * updates one group's parameters in `updateGroup`.
 *
 * @example
 * ```ts
 * class SignSGD extends Optimizer<{ lr: number }> {
 *   constructor(params: Params<{ lr: number }>, options: { lr?: number } = {}) {
 *     super(params, { lr: 0.01, ...options });
 *   }
 *   protected updateGroup(group: ParamGroup<{ lr: number }>): void {
 *     for (const p of group.params) if (p.grad) p.sub_(p.grad.sign().mul(group.lr));
 *   }
 * }
 * ```
 */
export abstract class Optimizer<O extends OptimizerOptions = OptimizerOptions> {
  /** The options given to the constructor, completed with the optimizer's defaults. */
  readonly defaults: O;
  /** The parameter groups, each with its parameters and resolved options (`param_groups`). */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created at a parameter's first update. */
  state = new Map<Tensor, ParamState>();

  /**
   * @param params `model.parameters()`, an array of tensors, or parameter groups
   *   (`[{ params: a }, { params: b, lr: 0.01 }]`) whose options override `defaults`.
   * @param defaults every option of the optimizer; an `undefined` value must be given by each
   *   group (SGD's `lr`).
   */
  constructor(params: Params<O>, defaults: O) {
    const fn = `${new.target.name}()`;
    this.defaults = copyOptions(defaults);
    this.checkOptions(this.defaults, `${fn}: `);
    if (params instanceof Tensor) {
      throw new ArgumentError(`${fn}: params must be an iterable of Tensors or of parameter groups, not a single Tensor; wrap it in an array: [t]`);
    }
    if (params === null || typeof params !== 'object' || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new ArgumentError(`${fn}: params must be an iterable of Tensors or of parameter groups, such as model.parameters() (got ${describe(params)})`);
    }
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new ArgumentError(`${fn}: got an empty parameter list`);
    const groups = isGroup(list[0]) ? (list as ParamGroupInput<O>[]) : [{ params: list as Tensor[] } as unknown as ParamGroupInput<O>];
    groups.forEach((g, i) => this._addGroup(g, fn, isGroup(list[0]) ? `paramGroups[${i}].` : ''));
  }

  /**
   * Checks option values, throwing `ArgumentError`s that start with `where` (as
   * `SGD(): paramGroups[1].`). Values that are `undefined` are skipped.
   */
  protected checkOptions(_options: Partial<O>, _where: string): void {}

  /** Updates the parameters of one group from their `.grad` (runs under `noGrad` in a scope). */
  protected abstract updateGroup(group: ParamGroup<O>): void;

  /**
   * Adds a parameter group (`add_param_group`), as when unfreezing layers while fine-tuning.
   * Options it leaves out take the optimizer's defaults.
   *
   * @example
   * ```ts
   * const opt = new SGD(head.parameters(), { lr: 0.1 });
   * opt.addParamGroup({ params: backbone.parameters(), lr: 0.01 });
   * ```
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    this._addGroup(group, `${this.constructor.name}.addParamGroup()`, '');
  }

  /** @internal */
  _addGroup(group: ParamGroupInput<O>, fn: string, prefix: string): void {
    if (!isGroup(group) || !('params' in group)) {
      throw new ArgumentError(`${fn}: a parameter group must be an object with params (got ${describe(group)})`);
    }
    const raw = group.params;
    let params: unknown[];
    if (raw instanceof Tensor) params = [raw];
    else if (raw !== null && typeof raw === 'object' && typeof (raw as Iterable<unknown>)[Symbol.iterator] === 'function') params = [...(raw as Iterable<unknown>)];
    else throw new ArgumentError(`${fn}: ${prefix}params must be a Tensor or an iterable of Tensors (got ${describe(raw)})`);
    const seen = new Map<unknown, number>();
    params.forEach((p, j) => {
      if (!(p instanceof Tensor)) throw new ArgumentError(`${fn}: optimizers can only optimize Tensors, but ${prefix}params[${j}] is ${describe(p)}`);
      if (!(p.isLeaf || p.retainsGrad)) throw new ArgumentError(`${fn}: ${prefix}params[${j}] is not a leaf tensor; optimizers update leaves (made by the user, not by an op)`);
      if (seen.has(p)) throw new ArgumentError(`${fn}: ${prefix}params[${j}] repeats ${prefix}params[${seen.get(p)}]; give each parameter once`);
      seen.set(p, j);
    });
    for (const g of this.paramGroups) {
      if (g.params.some((p) => seen.has(p))) throw new ArgumentError(`${fn}: some parameters appear in more than one parameter group`);
    }
    const { params: _, ...options } = group;
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    const resolved = { ...copyOptions(this.defaults), ...copyOptions(given) } as Record<string, unknown>;
    for (const [k, v] of Object.entries(resolved)) {
      if (v === undefined && k in this.defaults) {
        throw new ArgumentError(`${fn}: ${prefix}${k} is required: give it in the options or in every parameter group`);
      }
    }
    this.checkOptions(resolved as Partial<O>, `${fn}: ${prefix}`);
    this.paramGroups.push({ ...resolved, params: params as Tensor[] } as ParamGroup<O>);
  }

  /**
   * Clears the gradients of every parameter (`zero_grad`). By default frees them (`.grad`
   * becomes `null`, as `setToNone=True`); with `setToNone: false` zeroes them in place.
   *
   * @example
   * ```ts
   * opt.zeroGrad();                      // p.grad === null
   * opt.zeroGrad({ setToNone: false });  // p.grad is all zeros
   * ```
   */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    const setToNone = options.setToNone ?? true;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const g = p.grad;
        if (g === null) continue;
        if (setToNone) {
          p.grad = null;
          continue;
        }
        if (g.gradFn !== null) g.detach_();
        else if (g.requiresGrad) g.requiresGrad = false;
        noGrad(() => g.zero_());
      }
    }
  }

  /**
   * Performs one optimization step: updates every parameter that has a `.grad`, in place.
   * `closure`, when given, re-evaluates the model and returns the loss: it runs first, with grad
   * mode on, and `step` returns what it returned (an async closure gives a Promise, and the
   * update waits for it).
   *
   * @example
   * ```ts
   * opt.zeroGrad();
   * lossFn(model(x), y).backward();
   * opt.step();
   * // or, with a closure:
   * const loss = opt.step(() => {
   *   opt.zeroGrad();
   *   const l = lossFn(model(x), y);
   *   l.backward();
   *   return l;
   * });
   * ```
   */
  step<L = undefined>(closure?: () => L): L | undefined {
    if (closure !== undefined && typeof closure !== 'function') {
      throw new ArgumentError(`${this.constructor.name}.step(): closure must be a function returning the loss (got ${describe(closure)})`);
    }
    const loss = closure === undefined ? undefined : enableGrad(closure);
    if (loss instanceof Promise) {
      return loss.then((v: unknown) => {
        this._update();
        return v;
      }) as L;
    }
    this._update();
    return loss;
  }

  /** @internal */
  _update(): void {
    noGrad(() =>
      scope(() => {
        for (const group of this.paramGroups) this.updateGroup(group);
      }),
    );
  }

  /**
   * The state of `p`, made by `init` at the first update (its tensors become the optimizer's:
   * no scope frees them).
   */
  protected stateFor<S extends ParamState>(p: Tensor, init: () => S): S {
    let s = this.state.get(p);
    if (s === undefined || Object.keys(s).length === 0) {
      s = init();
      for (const v of Object.values(s)) if (v instanceof Tensor) keepTensor(v);
      this.state.set(p, s);
    }
    return s as S;
  }

  /**
   * The optimizer's state in PyTorch's layout (`state_dict`): `state` maps each parameter's
   * number (counting across groups in order) to its state, `paramGroups` lists each group's
   * options with the numbers of its parameters. The tensors are the optimizer's own, not copies.
   *
   * @example
   * ```ts
   * const sd = opt.stateDict();
   * sd.paramGroups[0];  // { lr: 0.001, betas: [0.9, 0.999], ..., params: [0, 1] }
   * sd.state[0].expAvg; // a Tensor shaped like the first parameter
   * await save(sd, 'opt.safetensors');
   * ```
   */
  stateDict(): OptimizerStateDict<O> {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...options } = g;
      for (const p of params) if (!index.has(p)) index.set(p, index.size);
      return { ...copyOptions(options), params: params.map((p) => index.get(p)!) } as OptimizerStateDict<O>['paramGroups'][number];
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = { ...s };
    }
    return { state, paramGroups };
  }

  /**
   * Loads a state dict made by {@link stateDict} (`load_state_dict`): copies its state tensors
   * (the old ones are freed) and takes its groups' options. Groups must match in number and size.
   * 0-d tensors (PyTorch's `step`) are read as numbers.
   *
   * @example
   * ```ts
   * const resumed = new Adam(model.parameters());
   * resumed.loadStateDict(await load('opt.safetensors'));
   * ```
   */
  loadStateDict(stateDict: OptimizerStateDict<O>): void {
    const fn = `${this.constructor.name}.loadStateDict()`;
    if (typeof stateDict !== 'object' || stateDict === null) {
      throw new StateDictError(`${fn}: stateDict must be an object with state and paramGroups (got ${describe(stateDict)})`);
    }
    const saved = stateDict.paramGroups;
    const savedState = stateDict.state;
    if (!Array.isArray(saved)) throw new StateDictError(`${fn}: stateDict.paramGroups must be an array (got ${describe(saved)})`);
    if (typeof savedState !== 'object' || savedState === null) {
      throw new StateDictError(`${fn}: stateDict.state must be an object (got ${describe(savedState)})`);
    }
    if (saved.length !== this.paramGroups.length) {
      throw new StateDictError(`${fn}: stateDict.paramGroups has ${saved.length} group(s), but the optimizer has ${this.paramGroups.length}`);
    }
    const byIndex = new Map<number, Tensor>();
    saved.forEach((g, i) => {
      const own = this.paramGroups[i]!.params;
      if (typeof g !== 'object' || g === null || !Array.isArray(g.params)) {
        throw new StateDictError(`${fn}: stateDict.paramGroups[${i}] must be an object with a params array (got ${describe(g)})`);
      }
      if (g.params.length !== own.length) {
        throw new StateDictError(`${fn}: stateDict.paramGroups[${i}] has ${g.params.length} parameter(s), but the optimizer's group ${i} has ${own.length}`);
      }
      g.params.forEach((k, j) => byIndex.set(Number(k), own[j]!));
      const { params: _, ...options } = g;
      const { params: __, ...current } = this.paramGroups[i]!;
      this.checkOptions({ ...current, ...options } as Partial<O>, `${fn}: stateDict.paramGroups[${i}].`);
    });
    const fresh = new Map<Tensor, ParamState>();
    try {
      for (const [k, s] of Object.entries(savedState)) {
        const p = byIndex.get(Number(k));
        if (p === undefined) {
          throw new StateDictError(`${fn}: stateDict.state has an entry for parameter ${k}, but stateDict.paramGroups number only ${byIndex.size} parameter(s)`);
        }
        if (typeof s !== 'object' || s === null) throw new StateDictError(`${fn}: stateDict.state[${k}] must be an object (got ${describe(s)})`);
        const copy: ParamState = {};
        fresh.set(p, copy);
        for (const [key, v] of Object.entries(s as Record<string, unknown>)) {
          if (v instanceof Tensor) {
            // As PyTorch does, state tensors are cast to their parameter's dtype and device.
            copy[key] = v.ndim === 0 ? v.item() : keepTensor(noGrad(() => stateCopy(v, p)));
          } else if (typeof v === 'number' || v === null) copy[key] = v;
          else throw new StateDictError(`${fn}: stateDict.state[${k}].${key} must be a Tensor, a number or null (got ${describe(v)})`);
        }
      }
    } catch (e) {
      disposeState(fresh);
      throw e;
    }
    disposeState(this.state);
    this.state = fresh;
    saved.forEach((g, i) => {
      const { params: _, ...options } = g;
      Object.assign(this.paramGroups[i]!, copyOptions(options));
    });
  }

  /** Frees the state tensors; the optimizer starts afresh at its next step. */
  dispose(): void {
    disposeState(this.state);
    this.state = new Map();
  }
  /** Frees the state at the end of a `using` block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** PyTorch's `print(optimizer)` layout: each group's options, sorted by name. */
  toString(): string {
    const lines = this.paramGroups.map((g, i) => {
      const opts = Object.keys(g)
        .filter((k) => k !== 'params')
        .sort()
        .map((k) => `    ${k}: ${Array.isArray(g[k]) ? `[${(g[k] as unknown[]).join(', ')}]` : String(g[k])}`);
      return [`Parameter Group ${i}`, ...opts].join('\n');
    });
    return `${this.constructor.name} (\n${lines.join('\n')}\n)`;
  }
}

function disposeState(state: Map<Tensor, ParamState>): void {
  for (const s of state.values()) for (const v of Object.values(s)) if (v instanceof Tensor) v.dispose();
}

// ---- helpers for concrete optimizers ------------------------------------------------------------

/** `p.grad`, negated for `maximize` and with `weightDecay * p` added (the L2 penalty). @internal */
export function gradOf(p: Tensor, options: { maximize?: boolean; weightDecay?: number }): Tensor {
  let g = p.grad!;
  if (options.maximize) g = g.neg();
  if (options.weightDecay) g = g.add(p, { alpha: options.weightDecay });
  return g;
}

/** Throws unless `v` (when given) is a number >= 0. @internal */
export function checkNonNegative(where: string, name: string, v: unknown): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !(v >= 0)) throw new ArgumentError(`${where}${name} must be >= 0 (got ${describe(v)})`);
}

/** Throws unless `v` (when given) lies in `[lo, hi]` (or `[lo, hi)` when `openHigh`). @internal */
export function checkRange(where: string, name: string, v: unknown, lo: number, hi: number, openHigh = false): void {
  if (v === undefined) return;
  const ok = typeof v === 'number' && v >= lo && (openHigh ? v < hi : v <= hi);
  if (!ok) throw new ArgumentError(`${where}${name} must be in [${lo}, ${hi}${openHigh ? ')' : ']'} (got ${describe(v)})`);
}

/** Throws unless `v` (when given) is two numbers in `[0, 1)`. @internal */
export function checkBetas(where: string, v: unknown): void {
  if (v === undefined) return;
  if (!Array.isArray(v) || v.length !== 2) throw new ArgumentError(`${where}betas must be two numbers [beta1, beta2] (got ${describe(v)})`);
  checkRange(where, 'betas[0]', v[0], 0, 1, true);
  checkRange(where, 'betas[1]', v[1], 0, 1, true);
}

/** Throws unless `v` (when given) is a finite number. @internal */
export function checkNumber(where: string, name: string, v: unknown): void {
  if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v))) throw new ArgumentError(`${where}${name} must be a number (got ${describe(v)})`);
}

/** Throws unless `v` (when given) is a boolean. @internal */
export function checkBoolean(where: string, name: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'boolean') throw new ArgumentError(`${where}${name} must be true or false (got ${describe(v)})`);
}

/**
 * The constructor options completed with `defaults`; an option the optimizer does not have is an
 * error, with a hint when it is PyTorch's snake_case spelling. @internal
 */
export function withDefaults<O extends object>(fn: string, defaults: O, options: Partial<O>): O {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ArgumentError(`${fn}: options must be an object (got ${describe(options)})`);
  }
  const known = Object.keys(defaults);
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [k, v] of Object.entries(options)) {
    if (!known.includes(k)) {
      const camel = k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      const hint = camel !== k && known.includes(camel) ? `; Flint spells it ${camel}` : '';
      throw new ArgumentError(`${fn}: unknown option '${k}'${hint} (options: ${known.join(', ')})`);
    }
    if (v !== undefined) out[k] = v;
  }
  return out as O;
}
