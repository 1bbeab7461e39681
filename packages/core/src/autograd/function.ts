/**
 * How an op joins autograd: `apply()` runs the forward kernel, wraps the result, and, when grad
 * mode is on and an input requires grad, records a {@link Node} with the op's backward.
 * @internal
 * @module
 */
import { DeviceError } from '../errors.js';
import { active, useDevice } from '../kernels/backend.js';
import { tf, type Handle } from '../kernels/tf.js';
import { isFloating, type DType } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from './grad-mode.js';
import { Node, type BackwardFn, type Edge } from './node.js';

/** A hook that sees every op run (the profiler's entry): the op's name, the call to make, and its tensor inputs. */
export type DispatchHook = <T>(name: string, run: () => T, inputs?: readonly Tensor[]) => T;
let dispatchHook: DispatchHook | null = null;

/**
 * Installs (or with `null` removes) a function wrapped around every op's kernel call, forward
 * and backward. Returns the previous hook. Used by `@flint/profiler`.
 *
 * @example
 * ```ts
 * const counts = new Map<string, number>();
 * setDispatchHook((name, run) => { counts.set(name, (counts.get(name) ?? 0) + 1); return run(); });
 * ```
 */
export function setDispatchHook(hook: DispatchHook | null): DispatchHook | null {
  const prev = dispatchHook;
  dispatchHook = hook;
  return prev;
}

/** Runs a kernel call through the dispatch hook. @internal */
export function dispatch<T>(name: string, run: () => T, inputs?: readonly Tensor[]): T {
  return dispatchHook === null ? run() : dispatchHook(name, run, inputs);
}

/** What an op tells {@link apply}. */
export interface OpSpec {
  /** The op's name as PyTorch spells it (`'mul'`, `'sum'`); the node is `MulBackward0`. */
  name: string;
  /** The tensor inputs, in the order the backward returns their gradients. */
  inputs: readonly Tensor[];
  /** Computes the output handle from the inputs' handles. */
  forward: () => Handle;
  /** Tensors the backward needs (inputs or the output); checked for in-place changes. */
  save?: readonly Tensor[] | ((out: Tensor) => readonly Tensor[]);
  /** Internal tensors made for the backward only; freed with the graph. */
  own?: () => readonly Tensor[];
  /** The local chain rule; absent for ops with no gradient. */
  backward?: BackwardFn;
  /** Tensors the op made from JS scalars: owned by the node if saved, else freed at once. */
  temps?: readonly Tensor[];
  /** The node's name when it is not derived from `name` (e.g. `'SumBackward1'`). */
  nodeName?: string;
}

const nodeNames = new Map<string, string>();

function nodeName(op: string): string {
  let name = nodeNames.get(op);
  if (name === undefined) {
    const base = op.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
    name = base.charAt(0).toUpperCase() + base.slice(1) + 'Backward0';
    nodeNames.set(op, name);
  }
  return name;
}

/** Whether an op with these inputs records a node. @internal */
export function needsGrad(inputs: readonly Tensor[]): boolean {
  // The inputs first: reading the grad mode (an AsyncLocalStorage lookup) is the dearer test.
  for (let i = 0; i < inputs.length; i++) if (inputs[i]!._requiresGrad) return isGradEnabled();
  return false;
}

/** Wraps a handle in a Tensor without recording anything. @internal */
export function wrap(h: Handle): Tensor {
  return new Tensor(h);
}

/**
 * The device an op runs on: that of its inputs, which must agree (0-d tensors join any device, as
 * PyTorch's CPU scalars do). Makes it the active one. Reached only when an input is not on the
 * active device, so an all-CPU program never comes here.
 */
function opDevice(name: string, inputs: readonly Tensor[]): 'cpu' | 'gpu' {
  let device: 'cpu' | 'gpu' | null = null;
  let scalarOnGpu = false;
  for (const t of inputs) {
    if (t._h.rank === 0) {
      if (t._device === 'gpu') scalarOnGpu = true;
    } else if (device === null) device = t._device;
    else if (t._device !== device) {
      throw new DeviceError(
        `${name}(): expected all tensors to be on the same device, but found at least two devices, '${device}' and '${t._device}'. ` +
          `Move them first, e.g. with .to('${device}')`,
      );
    }
  }
  const d = device ?? (scalarOnGpu ? 'gpu' : 'cpu');
  useDevice(d);
  return d;
}

/** A backward that runs with the GPU active, so that tensors it makes without a device land there. */
function onGpu(backward: BackwardFn): BackwardFn {
  return (grad, saved, needs) => {
    const ambient = active.ambient;
    active.ambient = 'gpu';
    useDevice('gpu');
    try {
      return backward(grad, saved, needs);
    } finally {
      active.ambient = ambient;
    }
  };
}

/** Runs an op and records its backward when autograd needs it. @internal */
export function apply(spec: OpSpec): Tensor {
  const inputs = spec.inputs;
  for (let i = 0; i < inputs.length; i++) {
    if (inputs[i]!._device !== active.device) {
      opDevice(spec.name, inputs);
      break;
    }
  }
  const h = dispatchHook === null ? tf.tidy(spec.forward) : dispatchHook(spec.name, () => tf.tidy(spec.forward), spec.inputs);
  const out = new Tensor(h);
  if (spec.backward === undefined || !isFloating(out.dtype) || !needsGrad(spec.inputs)) {
    if (spec.temps !== undefined) for (const t of spec.temps) t.dispose();
    return out;
  }
  const next: Edge[] = [];
  const shapes: number[][] = [];
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i]!;
    shapes.push(t.shape);
    next.push(t._requiresGrad ? (t.gradFn ?? t) : null);
  }
  const saved = spec.save === undefined ? [] : typeof spec.save === 'function' ? spec.save(out) : spec.save;
  const owned = spec.own === undefined ? [] : [...spec.own()];
  if (spec.temps !== undefined) {
    for (const t of spec.temps) {
      if (saved.includes(t)) owned.push(t);
      else t.dispose();
    }
  }
  const backward = out._device === 'gpu' ? onGpu(spec.backward) : spec.backward;
  out.gradFn = new Node(spec.nodeName ?? nodeName(spec.name), next, shapes, [...saved], owned, backward);
  out._requiresGrad = true;
  return out;
}

/** The dtype of a handle. @internal */
export function dtypeOf(h: Handle): DType {
  return h.dtype as DType;
}
