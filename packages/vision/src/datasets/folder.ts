/**
 * `DatasetFolder` and `ImageFolder` (`torchvision.datasets.DatasetFolder`, `ImageFolder`):
 * samples arranged as `root/<class>/**\/<file>`, classes from the folder names.
 * @module
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError } from '@flint/core';
import { DatasetError } from '../errors.js';
import type { Image } from '../image.js';
import { loadImage } from '../io/image-io.js';
import { VisionDataset, type VisionDatasetOptions } from './vision-dataset.js';

/**
 * The extensions {@link ImageFolder} accepts (torchvision's `IMG_EXTENSIONS`).
 *
 * @example
 * ```ts
 * new DatasetFolder('data/train', loadImage, { extensions: [...IMG_EXTENSIONS, '.avif'] });
 * ```
 */
export const IMG_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.ppm', '.bmp', '.pgm', '.tif', '.tiff', '.webp'];

/**
 * Whether `filename` ends with one of `extensions`, ignoring case (`has_file_allowed_extension`).
 *
 * @example
 * ```ts
 * hasFileAllowedExtension('a/B.JPG', IMG_EXTENSIONS); // true
 * ```
 */
export function hasFileAllowedExtension(filename: string, extensions: string | readonly string[]): boolean {
  const lower = filename.toLowerCase();
  return (typeof extensions === 'string' ? [extensions] : extensions).some((e) => lower.endsWith(e.toLowerCase()));
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The class folders of `directory`, sorted, and their indices (`find_classes`).
 *
 * @example
 * ```ts
 * const { classes, classToIdx } = findClasses('data/train'); // ['cat', 'dog'], { cat: 0, dog: 1 }
 * ```
 */
export function findClasses(directory: string): { classes: string[]; classToIdx: Record<string, number> } {
  let entries: string[];
  try {
    entries = readdirSync(directory);
  } catch (e) {
    throw new DatasetError(`findClasses(): cannot read ${directory}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (e as Error).message}`);
  }
  const classes = entries.filter((d) => isDir(join(directory, d))).sort();
  if (classes.length === 0) throw new DatasetError(`Couldn't find any class folder in ${directory}.`);
  return { classes, classToIdx: Object.fromEntries(classes.map((c, i) => [c, i])) };
}

/** Every file under `dir`, following links, in the order of Python's `sorted(os.walk(dir))`. */
function walk(dir: string): string[] {
  const dirs: string[] = [];
  const collect = (d: string) => {
    dirs.push(d);
    for (const e of readdirSync(d)) if (isDir(join(d, e))) collect(join(d, e));
  };
  collect(dir);
  dirs.sort();
  const out: string[] = [];
  for (const d of dirs) {
    const files = readdirSync(d).filter((e) => !isDir(join(d, e))).sort();
    for (const f of files) out.push(join(d, f));
  }
  return out;
}

/**
 * The `[path, classIndex]` samples under `directory` (`make_dataset`). Give `extensions` or
 * `isValidFile`, not both. A class without any valid file is an error naming the classes and the
 * accepted extensions, unless `allowEmpty`.
 *
 * @example
 * ```ts
 * const samples = makeDataset('data/train', findClasses('data/train').classToIdx, ['.png']);
 * ```
 */
export function makeDataset(
  directory: string,
  classToIdx: Record<string, number>,
  extensions?: string | readonly string[],
  isValidFile?: (path: string) => boolean,
  allowEmpty = false,
): [string, number][] {
  if ((extensions === undefined) === (isValidFile === undefined)) {
    throw new ArgumentError('makeDataset(): give either extensions or isValidFile, not both and not neither');
  }
  const valid = isValidFile ?? ((p: string) => hasFileAllowedExtension(p, extensions!));
  const instances: [string, number][] = [];
  const found = new Set<string>();
  for (const cls of Object.keys(classToIdx).sort()) {
    const target = join(directory, cls);
    if (!isDir(target)) continue;
    for (const path of walk(target)) {
      if (valid(path)) {
        instances.push([path, classToIdx[cls]!]);
        found.add(cls);
      }
    }
  }
  const empty = Object.keys(classToIdx).filter((c) => !found.has(c));
  if (empty.length > 0 && !allowEmpty) {
    let msg = `Found no valid file for the classes ${empty.sort().join(', ')}. `;
    if (extensions !== undefined) msg += `Supported extensions are: ${typeof extensions === 'string' ? extensions : extensions.join(', ')}`;
    throw new DatasetError(msg.trimEnd());
  }
  return instances;
}

/** Options of {@link DatasetFolder}. */
export interface DatasetFolderOptions<X, Y, S> extends VisionDatasetOptions<X, Y, S, number> {
  /** File extensions to accept, e.g. `['.npy']` (give this or `isValidFile`). */
  extensions?: string | readonly string[];
  /** Decides per path whether it is a sample (give this or `extensions`). */
  isValidFile?: (path: string) => boolean;
  /** Allow classes without files (default false: an error). */
  allowEmpty?: boolean;
}

/**
 * A dataset of files in class folders, `root/<class>/.../<file>`, read with `loader`
 * (`torchvision.datasets.DatasetFolder`). `getItem` returns a Promise when the loader does.
 *
 * @example
 * ```ts
 * const ds = new DatasetFolder('data/train', (p) => readFileSync(p), { extensions: ['.bin'] });
 * ds.classes; // folder names, sorted
 * ```
 */
export class DatasetFolder<S, X = S, Y = number> extends VisionDataset<X, Y, S, number> {
  readonly loader: (path: string) => S | Promise<S>;
  readonly extensions: string | readonly string[] | undefined;
  readonly classes: string[];
  readonly classToIdx: Record<string, number>;
  /** `[path, classIndex]` of every sample. */
  readonly samples: [string, number][];
  /** The class index of every sample. */
  readonly targets: number[];

  constructor(root: string, loader: (path: string) => S | Promise<S>, options: DatasetFolderOptions<X, Y, S> = {}) {
    super(root, options, [root, loader, options]);
    if (typeof loader !== 'function') throw new ArgumentError(`${new.target.name}(): loader must be a function path => sample (got ${typeof loader})`);
    const { classes, classToIdx } = this.findClasses(root);
    this.loader = loader;
    this.extensions = options.extensions;
    this.classes = classes;
    this.classToIdx = classToIdx;
    this.samples = makeDataset(root, classToIdx, options.extensions, options.isValidFile, options.allowEmpty ?? false);
    this.targets = this.samples.map((s) => s[1]);
  }

  /** The classes of `directory` (override to change how classes are found). */
  findClasses(directory: string): { classes: string[]; classToIdx: Record<string, number> } {
    return findClasses(directory);
  }

  /** Loads sample `index` and applies the transforms. */
  getItem(index: number): [X, Y] | Promise<[X, Y]> {
    const [path, target] = this.samples[this.index(index)]!;
    const sample = this.loader(path);
    return sample instanceof Promise ? sample.then((s) => this.finish(s, target)) : this.finish(sample, target);
  }

  len(): number {
    return this.samples.length;
  }
}

/**
 * The default image loader: the file as an RGB {@link Image} (`default_loader`, PIL's
 * `Image.open(path).convert('RGB')`).
 *
 * @example
 * ```ts
 * const img = await defaultLoader('data/train/cat/1.jpg');
 * ```
 */
export function defaultLoader(path: string): Promise<Image> {
  return loadImage(path, 'RGB');
}

/** Options of {@link ImageFolder}. */
export interface ImageFolderOptions<X, Y> extends Omit<DatasetFolderOptions<X, Y, Image>, 'extensions'> {
  /** How to read a file (default: {@link defaultLoader}, RGB). */
  loader?: (path: string) => Image | Promise<Image>;
}

/**
 * Images in class folders, `root/<class>/.../<image>` (`torchvision.datasets.ImageFolder`);
 * `getItem` is async (files are decoded with sharp on demand).
 *
 * @example
 * ```ts
 * const train = new ImageFolder('data/train', { transform: new Compose([new Resize([64, 64]), new ToTensor()]) });
 * const [x, y] = await train.getItem(0);
 * ```
 */
export class ImageFolder<X = Image, Y = number> extends DatasetFolder<Image, X, Y> {
  constructor(root: string, options: ImageFolderOptions<X, Y> = {}) {
    super(root, options.loader ?? defaultLoader, { ...options, extensions: options.isValidFile === undefined ? IMG_EXTENSIONS : undefined });
    Object.defineProperty(this, 'ctorArgs', { value: [root, options] });
  }

  /** The samples, as torchvision's `imgs`. */
  get imgs(): [string, number][] {
    return this.samples;
  }
}
