/**
 * A node of the autograd graph: the backward of one op application, with the tensors it saved.
 * @module
 */
import { AutogradError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * The local chain rule of one op: given the gradient of its output and the tensors it saved,
 * returns one gradient per input (`null` where an input gets none). `needs[i]` says whether
 * input i wants a gradient at all, so work for the others can be skipped. Written with Flint ops, so
 * that it can itself be differentiated (double backward).
 */
export type BackwardFn = (
  grad: Tensor,
  saved: readonly Tensor[],
  needs: readonly boolean[],
) => readonly (Tensor | null | undefined)[];

/** A hook on a gradient: may return a replacement. */
export type GradHook = (grad: Tensor) => Tensor | void | undefined;

/** Where the gradient of one input goes: the node that made it, or the leaf that collects it. */
export type Edge = Node | Tensor | null;

/**
 * The backward of one op application (`tensor.gradFn`). Its `name` follows PyTorch
 * (`MulBackward0`, `SumBackward1`...).
 *
 * @example
 * ```ts
 * const y = x.mul(2);
 * y.gradFn?.name; // 'MulBackward0'
 * ```
 */
export class Node {
  /** @internal */ _next: Edge[];
  /** Whether each input wants a gradient (its edge is not null), as the backward is told. @internal */
  _needs: boolean[];
  /** @internal */ _inputShapes: number[][];
  /** @internal */ _saved: Tensor[] | null;
  /** @internal */ _savedVersions: number[];
  /** @internal */ _owned: Tensor[];
  /** @internal */ _backward: BackwardFn | null;
  /** @internal */ _hooks: GradHook[] = [];
  /** @internal */ _retained: Tensor | null = null;
  /** @internal */ _freed = false;

  /** @internal */
  constructor(
    /** PyTorch's name of this backward, e.g. `'MulBackward0'`. */
    readonly name: string,
    next: Edge[],
    inputShapes: number[][],
    saved: Tensor[],
    owned: Tensor[],
    backward: BackwardFn,
  ) {
    this._next = next;
    this._needs = next.map((e) => e !== null);
    this._inputShapes = inputShapes;
    this._saved = saved;
    this._savedVersions = saved.map((t) => t._version);
    this._owned = owned;
    this._backward = backward;
  }

  /** The nodes (or leaf tensors) the gradient flows to next, one per input. */
  get nextFunctions(): readonly Edge[] {
    return this._next;
  }

  /** Registers a hook on the gradient of this node's output. @internal */
  _addHook(hook: GradHook): () => void {
    this._hooks.push(hook);
    return () => {
      const i = this._hooks.indexOf(hook);
      if (i >= 0) this._hooks.splice(i, 1);
    };
  }

  /** The saved tensors, checked for use after free and for in-place changes. @internal */
  _unpack(): Tensor[] {
    if (this._saved === null) {
      throw new AutogradError(
        `backward(): trying to backward through the graph a second time: ${this.name} freed its saved tensors in an earlier backward(). ` +
          'Pass { retainGraph: true } to the first backward() (or autograd.grad()) to keep them.',
      );
    }
    for (let i = 0; i < this._saved.length; i++) {
      const t = this._saved[i]!;
      if (t._disposed) {
        throw new AutogradError(
          `backward(): a tensor that ${this.name} saved for the backward pass was freed before backward() ran; ` +
            'keep it alive until backward() (return it from scope(), or do not dispose() it)',
        );
      }
      if (t._version !== this._savedVersions[i]) {
        throw new AutogradError(
          `backward(): a tensor of shape [${t.shape.join(', ')}] that ${this.name} saved was modified by an in-place operation ` +
            `(version ${t._version}, expected ${this._savedVersions[i]}); use the out-of-place form of the op`,
        );
      }
    }
    return this._saved;
  }

  /** Drops the saved tensors after a backward without retainGraph. @internal */
  _release(): void {
    if (this._saved === null || (this._saved.length === 0 && this._owned.length === 0)) return;
    this._saved = null;
    for (const t of this._owned) t.dispose();
    this._owned = [];
    this._freed = true;
  }

  /** The tensors this node holds: saved, owned and the leaves it accumulates into. @internal */
  *_graphTensors(): Iterable<Tensor> {
    if (this._saved !== null) yield* this._saved;
    yield* this._owned;
    for (const e of this._next) if (e !== null && !(e instanceof Node)) yield e;
  }

  /** The nodes the gradient flows to next. @internal */
  *_nextNodes(): Iterable<Node> {
    for (const e of this._next) if (e instanceof Node) yield e;
  }
}
