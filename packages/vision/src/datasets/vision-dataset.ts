/**
 * The base of every dataset here (`torchvision.datasets.VisionDataset`): a map-style dataset
 * with `getItem(i)` / `len()` / `length`, a `root`, and `transform` / `targetTransform`.
 * @module
 */
import { ArgumentError, ShapeError } from '@flint/core';
import { Dataset } from './dataset-base.js';

/** Options every vision dataset takes. */
export interface VisionDatasetOptions<X, Y, S = unknown, T = number> {
  /** Applied to each sample (an Image for most datasets), e.g. `new ToTensor()`. */
  transform?: (sample: S) => X;
  /** Applied to each target. */
  targetTransform?: (target: T) => Y;
}

/** Options of datasets that can download their files. */
export interface DownloadOptions {
  /**
   * Download the files when they are not in `root` (URLs and md5 as torchvision 0.14 has them).
   * The constructor waits for the download (a child node process fetches).
   */
  download?: boolean;
  /** Base URLs to fetch from instead of the dataset's own (a local mirror, a test server). */
  mirrors?: readonly string[];
}

/** The module every dataset class is exported from (the datasets index). */
const INDEX_URL = import.meta.url.replace(/vision-dataset\.(ts|js)$/, 'index.$1');

/**
 * A map-style image dataset (`VisionDataset`). Subclasses load their index in the constructor
 * and implement `getItem` and `len`.
 *
 * @example
 * ```ts
 * class Mine extends VisionDataset<Image, number> {
 *   constructor(root: string) { super(root, {}, [root]); }
 *   getItem(i: number): [Image, number] { ... }
 *   len() { return 10; }
 * }
 * ```
 */
export abstract class VisionDataset<X, Y, S = unknown, T = number> extends Dataset<[X, Y]> {
  readonly root: string;
  readonly transform: ((sample: S) => X) | undefined;
  readonly targetTransform: ((target: T) => Y) | undefined;
  /** The constructor's arguments, for `workerDescriptor`. @internal */
  protected readonly ctorArgs: readonly unknown[];

  constructor(root: string, options: VisionDatasetOptions<X, Y, S, T>, ctorArgs: readonly unknown[]) {
    super();
    const name = new.target.name;
    if (typeof root !== 'string') throw new ArgumentError(`${name}(): root must be a string path (got ${root === null ? 'null' : typeof root})`);
    if (options.transform !== undefined && typeof options.transform !== 'function') {
      throw new ArgumentError(`${name}(): transform must be a transform or a function (got ${typeof options.transform})`);
    }
    if (options.targetTransform !== undefined && typeof options.targetTransform !== 'function') {
      throw new ArgumentError(`${name}(): targetTransform must be a transform or a function (got ${typeof options.targetTransform})`);
    }
    this.root = root;
    this.transform = options.transform;
    this.targetTransform = options.targetTransform;
    this.ctorArgs = ctorArgs;
  }

  /** Applies the transforms to one sample. @internal */
  protected finish(sample: S, target: T): [X, Y] {
    const x = this.transform ? this.transform(sample) : (sample as unknown as X);
    const y = this.targetTransform ? this.targetTransform(target) : (target as unknown as Y);
    return [x, y];
  }

  /** Checks an index, allowing negative ones from the end. @internal */
  protected index(i: number): number {
    const n = this.len();
    if (!Number.isInteger(i) || i < -n || i >= n) {
      throw new ShapeError(`${this.constructor.name}.getItem(): index ${i} is out of range for ${n} samples`);
    }
    return i < 0 ? i + n : i;
  }

  /** Extra lines for `toString` (split, ...). @internal */
  protected extraRepr(): string[] {
    return [];
  }

  /** torchvision's repr: name, size, root, split, transforms. */
  override toString(): string {
    const lines = [`Dataset ${this.constructor.name}`, `    Number of datapoints: ${this.len()}`, `    Root location: ${this.root}`];
    lines.push(...this.extraRepr().map((l) => `    ${l}`));
    if (this.transform) lines.push(`    Transform: ${String(this.transform)}`);
    if (this.targetTransform) lines.push(`    Target transform: ${String(this.targetTransform)}`);
    return lines.join('\n');
  }

  /** How a DataLoader worker rebuilds this dataset: the class and its constructor arguments. */
  workerDescriptor(): { module: string; exportName: string; args: readonly unknown[] } {
    return { module: INDEX_URL, exportName: this.constructor.name, args: this.ctorArgs };
  }
}
