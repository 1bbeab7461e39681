/**
 * A model's structure as a GraphDef, for PyTorch's `add_graph`. A Flint `Module` is duck-typed
 * (`namedModules()`, optional `namedParameters()` and `registerForwardHook()`), so this needs no
 * import of `@flint/core`. Every leaf module is a node named by its scope, as PyTorch names them
 * (`Net/Sequential[features]/Conv2d[0]`), its parameters are `Parameter` nodes inside it, and
 * with `inputToModel` one forward pass is run with forward hooks to find which module feeds which
 * and each output's shape.
 * @module
 */
import { ArgumentError, describe } from '../../errors.js';
import type { AttrValueData, GraphDefData, NodeDefData } from '../../format/graph-proto.js';

/** What `addGraph` needs of a module. */
export interface ModuleLike {
  namedModules(): Iterable<[string, unknown]>;
  namedParameters?(options?: { recurse?: boolean }): Iterable<[string, { shape: readonly number[] }]>;
  registerForwardHook?(hook: (module: unknown, args: unknown[], output: unknown) => unknown): { remove(): void };
  forward?(...args: unknown[]): unknown;
  extraRepr?(): string;
}

const DEVICE = '/device:CPU:0';

function isModuleLike(m: unknown): m is ModuleLike {
  return (typeof m === 'object' || typeof m === 'function') && m !== null && typeof (m as ModuleLike).namedModules === 'function';
}

function shapeOf(v: unknown): number[] | undefined {
  const s = (v as { shape?: unknown } | null)?.shape;
  return Array.isArray(s) && s.every((d) => typeof d === 'number') ? [...s] : undefined;
}

function tensorsIn(v: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(v)) v.forEach((x) => tensorsIn(x, out));
  else if (shapeOf(v)) out.push(v);
  return out;
}

function className(m: unknown): string {
  return (m as { constructor?: { name?: string } })?.constructor?.name || 'Module';
}

/**
 * Builds the GraphDef of `model`; with `inputs`, runs `model(...inputs)` once to trace data flow.
 * Operations done outside modules (functional calls) are not seen: a module whose input came from
 * one is connected to the module that ran just before it.
 *
 * @example
 * ```ts
 * const graph = buildGraph('addGraph', net, [flint.randn([1, 784])]);
 * ```
 */
export function buildGraph(fn: string, model: unknown, inputs?: unknown[]): GraphDefData {
  if (!isModuleLike(model)) {
    throw new ArgumentError(`${fn}(): model must be a Module (an object with namedModules()) (got ${describe(model)})`);
  }
  const rootName = className(model);
  const entries = [...model.namedModules()];
  const scopeOf = new Map<unknown, string>();
  const isLeaf = new Map<unknown, boolean>();
  for (const [path, m] of entries) {
    let scope = rootName;
    if (path) {
      const parts = path.split('.');
      let prefix = '';
      scope = rootName;
      for (const part of parts) {
        prefix = prefix ? `${prefix}.${part}` : part;
        const sub = entries.find(([p]) => p === prefix)?.[1];
        scope += `/${className(sub)}[${part}]`;
      }
    }
    scopeOf.set(m, scope);
    isLeaf.set(m, !entries.some(([p]) => p !== path && (path === '' ? true : p.startsWith(`${path}.`))));
  }

  const nodes: NodeDefData[] = [];
  const shapesAttr = (shapes: number[][]): Record<string, AttrValueData> => ({ _output_shapes: { list: { s: [], i: [], f: [], shape: shapes } } });
  const paramNodes = new Map<unknown, string[]>();
  for (const [, m] of entries) {
    const names: string[] = [];
    const params = typeof (m as ModuleLike).namedParameters === 'function' ? (m as ModuleLike).namedParameters!({ recurse: false }) : [];
    for (const [pname, p] of params) {
      const name = `${scopeOf.get(m)}/${pname}`;
      names.push(name);
      nodes.push({ name, op: 'Parameter', input: [], device: DEVICE, attr: shapesAttr(shapeOf(p) ? [shapeOf(p)!] : []) });
    }
    paramNodes.set(m, names);
  }

  const leafAttr = (m: unknown): Record<string, AttrValueData> => {
    const repr = typeof (m as ModuleLike).extraRepr === 'function' ? String((m as ModuleLike).extraRepr!()) : '';
    return repr ? { attr: { s: `{ ${repr} }` } } : {};
  };

  if (!inputs) {
    for (const [, m] of entries) {
      if (!isLeaf.get(m) || (m === model && entries.length > 1)) continue;
      nodes.push({ name: scopeOf.get(m)!, op: className(m), input: paramNodes.get(m) ?? [], device: DEVICE, attr: leafAttr(m) });
    }
    return { node: nodes, producer: 22 };
  }

  // Trace: forward hooks on every leaf module record calls in execution order.
  const producer = new Map<unknown, string>();
  inputs.forEach((t, i) => {
    const name = `input/input.${i + 1}`;
    producer.set(t, name);
    nodes.push({ name, op: 'IO Node', input: [], device: DEVICE, attr: shapesAttr(shapeOf(t) ? [shapeOf(t)!] : []) });
  });
  const calls = new Map<unknown, number>();
  let last: string | undefined;
  const handles: { remove(): void }[] = [];
  const leaves = entries.filter(([, m]) => isLeaf.get(m));
  for (const [, m] of leaves) {
    if (typeof (m as ModuleLike).registerForwardHook !== 'function') {
      throw new ArgumentError(`${fn}(): tracing needs registerForwardHook() on every module; ${className(m)} has none`);
    }
    handles.push(
      (m as ModuleLike).registerForwardHook!((_mod, args, output) => {
        const k = calls.get(m) ?? 0;
        calls.set(m, k + 1);
        const name = k === 0 ? scopeOf.get(m)! : `${scopeOf.get(m)!}_${k}`;
        const from = tensorsIn(args).map((a) => producer.get(a) ?? last ?? 'input/input.1');
        const outs = tensorsIn(output);
        nodes.push({ name, op: className(m), input: [...new Set(from)].concat(paramNodes.get(m) ?? []), device: DEVICE, attr: { ...shapesAttr(outs.map((o) => shapeOf(o)!)), ...leafAttr(m) } });
        for (const o of outs) producer.set(o, name);
        last = name;
        return undefined;
      }),
    );
  }
  let output: unknown;
  try {
    output = typeof model === 'function' ? (model as (...a: unknown[]) => unknown)(...inputs) : model.forward!(...inputs);
  } catch (e) {
    throw new ArgumentError(`${fn}(): running the model on inputToModel failed: ${(e as Error).message}`);
  } finally {
    handles.forEach((h) => h.remove());
  }
  tensorsIn(output).forEach((o, i) => {
    nodes.push({ name: `output/output.${i + 1}`, op: 'IO Node', input: [producer.get(o) ?? last ?? 'input/input.1'], device: DEVICE, attr: shapesAttr([shapeOf(o)!]) });
  });
  return { node: nodes, producer: 22 };
}
