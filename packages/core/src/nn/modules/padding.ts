/**
 * Padding layers (`torch.nn`): `ZeroPad2d`, `ConstantPad1d`, `ConstantPad2d`, `ConstantPad3d`,
 * `ReflectionPad1d`, `ReflectionPad2d`, `ReflectionPad3d`, `ReplicationPad1d`,
 * `ReplicationPad2d`, `ReplicationPad3d`. `padding` is one number for every side or the full
 * list, last dimension first (`[left, right, top, bottom, front, back]`), as in PyTorch.
 * @module
 */
import { ArgumentError, describe } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { pad } from '../functional/padding.js';
import { Module } from '../module.js';

/** One size for every side, or `2 * dims` of them. */
export type PadSize = number | readonly number[];

function sides(cls: string, padding: unknown, dims: number): number[] {
  const n = 2 * dims;
  if (typeof padding === 'number' && Number.isInteger(padding)) return new Array<number>(n).fill(padding);
  if (Array.isArray(padding) && padding.length === n && padding.every((p) => Number.isInteger(p))) return [...(padding as number[])];
  throw new ArgumentError(`${cls}(): padding must be an integer or ${n} of them (got ${describe(padding)})`);
}

const list = (p: readonly number[]): string => `[${p.join(', ')}]`;

function fillValue(cls: string, value: unknown): void {
  if (typeof value !== 'number') throw new ArgumentError(`${cls}(): value must be a number (got ${describe(value)})`);
}


/**
 * Pads the last dimension with a constant (`nn.ConstantPad1d`).
 *
 * @example
 * ```ts
 * new ConstantPad1d([1, 2], 3.5)(randn([1, 2, 4])).shape; // [1, 2, 7]
 * ```
 */
export class ConstantPad1d extends Module {
  /** The pad sizes, last dimension first. */
  readonly padding: number[];
  constructor(
    padding: PadSize,
    /** The fill value. */
    readonly value: number,
  ) {
    super();
    this.padding = sides('ConstantPad1d', padding, 1);
    fillValue('ConstantPad1d', value);
  }
  forward(input: Tensor): Tensor {
    return pad(input, this.padding, { value: this.value });
  }
  override extraRepr(): string {
    return `padding=${list(this.padding)}, value=${this.value}`;
  }
}

/**
 * Pads the last two dimensions with a constant (`nn.ConstantPad2d`).
 *
 * @example
 * ```ts
 * new ConstantPad2d(1, -1)(randn([1, 2, 4, 4])).shape; // [1, 2, 6, 6]
 * new ConstantPad2d(1, 2.5).toString(); // 'ConstantPad2d(padding=[1, 1, 1, 1], value=2.5)'
 * ```
 */
export class ConstantPad2d extends Module {
  /** The pad sizes, last dimension first. */
  readonly padding: number[];
  constructor(
    padding: PadSize,
    /** The fill value. */
    readonly value: number,
  ) {
    super();
    this.padding = sides('ConstantPad2d', padding, 2);
    fillValue('ConstantPad2d', value);
  }
  forward(input: Tensor): Tensor {
    return pad(input, this.padding, { value: this.value });
  }
  override extraRepr(): string {
    return `padding=${list(this.padding)}, value=${this.value}`;
  }
}

/**
 * Pads the last three dimensions with a constant (`nn.ConstantPad3d`).
 *
 * @example
 * ```ts
 * new ConstantPad3d(1, 0)(randn([1, 1, 2, 2, 2])).shape; // [1, 1, 4, 4, 4]
 * ```
 */
export class ConstantPad3d extends Module {
  /** The pad sizes, last dimension first. */
  readonly padding: number[];
  constructor(
    padding: PadSize,
    /** The fill value. */
    readonly value: number,
  ) {
    super();
    this.padding = sides('ConstantPad3d', padding, 3);
    fillValue('ConstantPad3d', value);
  }
  forward(input: Tensor): Tensor {
    return pad(input, this.padding, { value: this.value });
  }
  override extraRepr(): string {
    return `padding=${list(this.padding)}, value=${this.value}`;
  }
}

/**
 * Pads the last two dimensions with zeros (`nn.ZeroPad2d`).
 *
 * @example
 * ```ts
 * const zp = new ZeroPad2d([1, 1, 2, 0]);
 * zp(randn([1, 3, 4, 4])).shape; // [1, 3, 6, 6]
 * zp.toString(); // 'ZeroPad2d([1, 1, 2, 0])'
 * ```
 */
export class ZeroPad2d extends Module {
  /** The pad sizes, last dimension first. */
  readonly padding: number[];
  constructor(padding: PadSize) {
    super();
    this.padding = sides('ZeroPad2d', padding, 2);
  }
  forward(input: Tensor): Tensor {
    return pad(input, this.padding);
  }
  override extraRepr(): string {
    return list(this.padding);
  }
}

/**
 * Pads the last dimension with its reflection, excluding the edge (`nn.ReflectionPad1d`).
 *
 * @example
 * ```ts
 * new ReflectionPad1d(2)(tensor([[[0, 1, 2, 3]]])).tolist(); // [[[2, 1, 0, 1, 2, 3, 2, 1]]]
 * ```
 */
export class ReflectionPad1d extends Module {
  /** The pad sizes, last dimension first. */
  readonly padding: number[];
  constructor(padding: PadSize) {
    super();
    this.padding = sides('ReflectionPad1d', padding, 1);
  }
  forward(input: Tensor): Tensor {
    return pad(input, this.padding, { mode: 'reflect' });
  }
  override extraRepr(): string {
    return list(this.padding);
  }
}

/**
 * Pads the last two dimensions with their reflection (`nn.ReflectionPad2d`).
 *
 * @example
 * ```ts
 * new ReflectionPad2d([1, 1, 2, 0])(randn([1, 3, 4, 4])).shape; // [1, 3, 6, 6]
 * ```
 */
export class ReflectionPad2d extends Module {
  /** The pad sizes, last dimension first. */
  readonly padding: number[];
  constructor(padding: PadSize) {
    super();
    this.padding = sides('ReflectionPad2d', padding, 2);
  }
  forward(input: Tensor): Tensor {
    return pad(input, this.padding, { mode: 'reflect' });
  }
  override extraRepr(): string {
    return list(this.padding);
  }
}

/**
 * Pads the last three dimensions with their reflection (`nn.ReflectionPad3d`).
 *
 * @example
 * ```ts
 * new ReflectionPad3d(1)(randn([1, 1, 3, 3, 3])).shape; // [1, 1, 5, 5, 5]
 * ```
 */
export class ReflectionPad3d extends Module {
  /** The pad sizes, last dimension first. */
  readonly padding: number[];
  constructor(padding: PadSize) {
    super();
    this.padding = sides('ReflectionPad3d', padding, 3);
  }
  forward(input: Tensor): Tensor {
    return pad(input, this.padding, { mode: 'reflect' });
  }
  override extraRepr(): string {
    return list(this.padding);
  }
}

/**
 * Pads the last dimension by repeating its edge values (`nn.ReplicationPad1d`).
 *
 * @example
 * ```ts
 * new ReplicationPad1d([2, 1])(tensor([[[1, 2]]])).tolist(); // [[[1, 1, 1, 2, 2]]]
 * ```
 */
export class ReplicationPad1d extends Module {
  /** The pad sizes, last dimension first. */
  readonly padding: number[];
  constructor(padding: PadSize) {
    super();
    this.padding = sides('ReplicationPad1d', padding, 1);
  }
  forward(input: Tensor): Tensor {
    return pad(input, this.padding, { mode: 'replicate' });
  }
  override extraRepr(): string {
    return list(this.padding);
  }
}

/**
 * Pads the last two dimensions by repeating their edges (`nn.ReplicationPad2d`).
 *
 * @example
 * ```ts
 * new ReplicationPad2d(2)(randn([1, 3, 4, 4])).shape; // [1, 3, 8, 8]
 * ```
 */
export class ReplicationPad2d extends Module {
  /** The pad sizes, last dimension first. */
  readonly padding: number[];
  constructor(padding: PadSize) {
    super();
    this.padding = sides('ReplicationPad2d', padding, 2);
  }
  forward(input: Tensor): Tensor {
    return pad(input, this.padding, { mode: 'replicate' });
  }
  override extraRepr(): string {
    return list(this.padding);
  }
}

/**
 * Pads the last three dimensions by repeating their edges (`nn.ReplicationPad3d`).
 *
 * @example
 * ```ts
 * new ReplicationPad3d(1)(randn([1, 1, 2, 2, 2])).shape; // [1, 1, 4, 4, 4]
 * ```
 */
export class ReplicationPad3d extends Module {
  /** The pad sizes, last dimension first. */
  readonly padding: number[];
  constructor(padding: PadSize) {
    super();
    this.padding = sides('ReplicationPad3d', padding, 3);
  }
  forward(input: Tensor): Tensor {
    return pad(input, this.padding, { mode: 'replicate' });
  }
  override extraRepr(): string {
    return list(this.padding);
  }
}
