/**
 * The backward pass: a topological walk over the graph from the outputs, summing the gradients
 * that flow into each node before running it, as PyTorch's engine does.
 * @module
 */
import { AutogradError, ArgumentError, describe } from '../errors.js';
import { adoptTensor, closeScope, keepTensor, runInScope, Scope, currentScope } from '../memory/scope.js';
import { Tensor } from '../tensor/tensor.js';
import { withGradMode } from './grad-mode.js';
import { dispatch } from './function.js';
import { Node } from './node.js';
import { sumToShape } from '../ops/shape.js';
import { add } from '../ops/arith.js';
import { onesLike } from '../ops/arith.js';

/** Options of `backward()`. */
export interface BackwardOptions {
  /** Keep the saved tensors so the graph can be walked again (`retain_graph`). */
  retainGraph?: boolean;
  /** Record the backward itself, for higher-order gradients (`create_graph`). */
  createGraph?: boolean;
}

/** Options of {@link grad}. */
export interface GradOptions extends BackwardOptions {
  /** One gradient per output (the vector of the vector-Jacobian product); needed for non-scalar outputs. */
  gradOutputs?: readonly (Tensor | null | undefined)[];
  /** Return `null` for inputs the outputs do not depend on, instead of raising. */
  allowUnused?: boolean;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Checks the roots and builds their starting gradients. */
function rootGrads(fn: string, roots: readonly Tensor[], grads: readonly (Tensor | null | undefined)[]): Tensor[] {
  return roots.map((r, i) => {
    if (!(r instanceof Tensor)) throw new ArgumentError(`${fn}(): outputs[${i}] must be a Tensor (got ${describe(r)})`);
    if (!r._requiresGrad) {
      throw new AutogradError(
        `${fn}(): element ${i} of the outputs does not require grad and has no gradFn` +
          (r.dtype !== 'float32' ? ` (its dtype is ${r.dtype}, and only float32 results carry gradients)` : '') +
          '; make sure a leaf it depends on has requiresGrad: true and that grad mode was on',
      );
    }
    const g = grads[i];
    if (g === undefined || g === null) {
      if (r.numel() !== 1) {
        throw new AutogradError(
          `${fn}(): a gradient can be created implicitly only for scalar outputs; output ${i} has shape [${r.shape.join(', ')}]. ` +
            'Pass the gradient of the output (e.g. y.backward(onesLike(y)))',
        );
      }
      return onesLike(r);
    }
    if (!(g instanceof Tensor)) throw new ArgumentError(`${fn}(): gradient ${i} must be a Tensor (got ${describe(g)})`);
    if (!sameShape(g.shape, r.shape)) {
      throw new AutogradError(`${fn}(): gradient ${i} has shape [${g.shape.join(', ')}] but the output has shape [${r.shape.join(', ')}]`);
    }
    return g;
  });
}

/** Nodes reachable from the roots, with how many edges point at each. */
function dependencies(roots: readonly Node[]): Map<Node, number> {
  const deps = new Map<Node, number>();
  const stack: Node[] = [];
  for (const r of roots) {
    if (!deps.has(r)) {
      deps.set(r, 0);
      stack.push(r);
    }
  }
  while (stack.length > 0) {
    const n = stack.pop()!;
    for (const e of n._next) {
      if (!(e instanceof Node)) continue;
      const c = deps.get(e);
      if (c === undefined) {
        deps.set(e, 1);
        stack.push(e);
      } else deps.set(e, c + 1);
    }
  }
  return deps;
}

function accumulate<K>(map: Map<K, Tensor>, key: K, g: Tensor): void {
  const prev = map.get(key);
  map.set(key, prev === undefined ? g : add(prev, g));
}

function runHooks(hooks: readonly ((g: Tensor) => Tensor | void | undefined)[] | null, g: Tensor): Tensor {
  if (hooks === null) return g;
  for (const h of hooks) {
    const r = h(g);
    if (r !== undefined) {
      if (!(r instanceof Tensor) || !sameShape(r.shape, g.shape)) {
        throw new AutogradError(`backward(): a gradient hook must return nothing or a Tensor of shape [${g.shape.join(', ')}] (got ${describe(r)})`);
      }
      g = r;
    }
  }
  return g;
}

/**
 * Walks the graph. With `targets`, gradients reaching them are captured and returned instead of
 * accumulated into `.grad` (autograd.grad); otherwise leaves accumulate.
 */
function walk(
  roots: readonly Tensor[],
  starts: readonly Tensor[],
  options: BackwardOptions,
  targets: readonly Tensor[] | null,
): Map<Tensor, Tensor> {
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const nodeGrads = new Map<Node, Tensor>();
  const leafGrads = new Map<Tensor, Tensor>();
  const targetNodes = new Map<Node, Tensor>();
  const captured = new Map<Tensor, Tensor>();
  if (targets !== null) for (const t of targets) if (t.gradFn !== null) targetNodes.set(t.gradFn, t);

  const rootNodes: Node[] = [];
  roots.forEach((r, i) => {
    if (r.gradFn === null) accumulate(leafGrads, r, starts[i]!);
    else {
      accumulate(nodeGrads, r.gradFn, starts[i]!);
      rootNodes.push(r.gradFn);
    }
  });
  const deps = dependencies(rootNodes);
  const ready: Node[] = [];
  for (const n of rootNodes) if (deps.get(n) === 0 && !ready.includes(n)) ready.push(n);
  const visited: Node[] = [];

  withGradMode(createGraph, () => {
    while (ready.length > 0) {
      const node = ready.pop()!;
      visited.push(node);
      let g = nodeGrads.get(node);
      nodeGrads.delete(node);
      if (g !== undefined) {
        g = runHooks(node._hooks.length > 0 ? node._hooks : null, g);
        const target = targetNodes.get(node);
        if (target !== undefined) captured.set(target, g);
        if (node._retained !== null && targets === null) accumulate(leafGrads, node._retained, g);
        if (node._backward === null) {
          throw new AutogradError(`backward(): ${node.name} has no backward`);
        }
        const saved = node._unpack();
        const gradOut = g;
        const backward = node._backward;
        // Through the dispatch hook, so that a profiler sees each backward as one op named after its node.
        const inputGrads = dispatch(node.name, () => backward(gradOut, saved, node._needs), [gradOut]);
        for (let i = 0; i < node._next.length; i++) {
          const edge = node._next[i]!;
          let gi = inputGrads[i];
          if (edge === null || gi === null || gi === undefined) continue;
          const shape = node._inputShapes[i]!;
          if (!sameShape(gi.shape, shape)) gi = sumToShape(gi, shape);
          if (edge instanceof Node) accumulate(nodeGrads, edge, gi);
          else accumulate(leafGrads, edge, gi);
        }
      }
      for (const e of node._next) {
        if (!(e instanceof Node)) continue;
        const c = deps.get(e)! - 1;
        deps.set(e, c);
        if (c === 0) ready.push(e);
      }
    }
  });
  if (!retainGraph) for (const n of visited) n._release();

  if (targets !== null) {
    for (const t of targets) {
      if (t.gradFn === null) {
        const g = leafGrads.get(t);
        if (g !== undefined) captured.set(t, runHooks(t._hooks, g));
      }
    }
    return captured;
  }
  for (const [leaf, g0] of leafGrads) {
    const g = leaf.gradFn === null ? runHooks(leaf._hooks, g0) : g0;
    captured.set(leaf, g);
  }
  return captured;
}

/** Stores a gradient into `.grad`: takes it when it is fresh, adds it to what is there. */
function commit(leaf: Tensor, g: Tensor, createGraph: boolean, taken: Set<Tensor>, backwardScope: Scope): void {
  const own = g._scope === backwardScope && !taken.has(g) && (createGraph || g.gradFn === null);
  taken.add(g);
  const old = leaf._grad;
  if (old === null) {
    leaf._grad = keepTensor(own ? g : createGraph ? g.clone() : g.detach());
    return;
  }
  if (!createGraph && old.gradFn === null) {
    old._assign('backward', add(old, g.gradFn === null ? g : g.detach()));
    return;
  }
  const sum = add(old, g);
  adoptTensor(old);
  leaf._grad = keepTensor(sum);
}

/** Runs `tensor.backward()` for one or more roots. @internal */
export function runBackward(
  roots: readonly Tensor[],
  gradients: readonly (Tensor | null | undefined)[],
  options: BackwardOptions,
): void {
  const s = new Scope(currentScope());
  const committed: Tensor[] = [];
  try {
    runInScope(s, () => {
      const starts = rootGrads('backward', roots, gradients);
      const grads = walk(roots, starts, options, null);
      const taken = new Set<Tensor>();
      for (const [leaf, g] of grads) {
        commit(leaf, g, options.createGraph ?? false, taken, s);
        committed.push(leaf._grad!);
      }
    });
  } finally {
    closeScope(s, committed);
  }
}

/**
 * The gradients of `outputs` with respect to `inputs`, returned rather than accumulated into
 * `.grad` (`torch.autograd.grad`).
 *
 * @example
 * ```ts
 * const x = tensor([3], { requiresGrad: true });
 * const y = x.pow(3);
 * const [dy] = autograd.grad([y], [x], { createGraph: true });   // 3x^2 = 27
 * const [d2y] = autograd.grad([dy!], [x]);                       // 6x = 18
 * ```
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  options: GradOptions = {},
): (Tensor | null)[] {
  const outs = outputs instanceof Tensor ? [outputs] : outputs;
  const ins = inputs instanceof Tensor ? [inputs] : inputs;
  ins.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ArgumentError(`autograd.grad(): inputs[${i}] must be a Tensor (got ${describe(t)})`);
    if (!t._requiresGrad) throw new AutogradError(`autograd.grad(): inputs[${i}] does not require grad`);
  });
  const gradOutputs = options.gradOutputs ?? [];
  if (gradOutputs.length > 0 && gradOutputs.length !== outs.length) {
    throw new ArgumentError(`autograd.grad(): gradOutputs has ${gradOutputs.length} entries but there are ${outs.length} outputs`);
  }
  const s = new Scope(currentScope());
  let result: (Tensor | null)[] = [];
  try {
    result = runInScope(s, () => {
      const starts = rootGrads('autograd.grad', outs, outs.map((_, i) => gradOutputs[i]));
      const captured = walk(outs, starts, options, ins);
      return ins.map((t, i) => {
        const g = captured.get(t);
        if (g === undefined) {
          if (options.allowUnused) return null;
          throw new AutogradError(
            `autograd.grad(): inputs[${i}] was not used to compute the outputs; pass { allowUnused: true } to get null for it`,
          );
        }
        return options.createGraph ? g : g.detach();
      });
    });
  } finally {
    closeScope(s, result);
  }
  return result;
}
