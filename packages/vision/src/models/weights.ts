/**
 * Pretrained weights: the {@link Weights} entries of torchvision's weights enums
 * (`ResNet50_Weights.IMAGENET1K_V2`) with their URL, preprocessing and metadata, and the loading
 * path every model factory shares. Flint downloads nothing: weights are converted once from
 * PyTorch to a safetensors file, which a factory loads from `weightsPath`, from a path given as
 * `weights`, or from the cache folder `$FLINT_HOME/hub/checkpoints/` (default
 * `~/.cache/flint/hub/checkpoints/`, as PyTorch's `$TORCH_HOME/hub/checkpoints/`).
 * @module
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { ArgumentError, FlintError, StateDictError, Tensor, loadSync } from '@flint/core';
import type { Generator, nn } from '@flint/core';
import { IMAGENET_CATEGORIES } from './imagenet-categories.js';

/**
 * Pretrained weights that cannot be found or do not fit the model; the message says how to
 * convert and provide them.
 *
 * @example
 * ```ts
 * try { resnet18({ weights: ResNet18Weights.DEFAULT }); } catch (e) { if (WeightsError.isInstance(e)) console.log(e.message); }
 * ```
 */
export class WeightsError extends FlintError {}

/** How images are resized before the interpolation PIL and torchvision name. */
export type InterpolationMode = 'nearest' | 'bilinear' | 'bicubic';

/**
 * The evaluation preprocessing the weights were trained for (torchvision's
 * `ImageClassification` preset): resize the shorter side to `resizeSize` with `interpolation`,
 * center-crop `cropSize`, scale to [0, 1], normalize with `mean` and `std`.
 *
 * @example
 * ```ts
 * const { resizeSize, cropSize, mean, std } = ResNet50Weights.IMAGENET1K_V2.transforms; // 232, 224, ...
 * ```
 */
export interface ImageClassificationTransforms {
  readonly cropSize: number;
  readonly resizeSize: number;
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
  readonly interpolation: InterpolationMode;
}

/**
 * What torchvision's `weights.meta` holds, in camelCase.
 *
 * @example
 * ```ts
 * const { categories, numParams, minSize, metrics } = ResNet18Weights.IMAGENET1K_V1.meta;
 * metrics['ImageNet-1K']!['acc@1']; // 69.758
 * ```
 */
export interface WeightsMeta {
  /** Class names by output index (`null` for weights without a classifier). */
  readonly categories: readonly string[] | null;
  /** Number of parameters of the model these weights fit. */
  readonly numParams: number;
  /** Smallest input `[height, width]` the model accepts. */
  readonly minSize: readonly [number, number];
  /** Where the training recipe is described. */
  readonly recipe: string;
  /** Accuracy on ImageNet-1K (`acc@1`, `acc@5`; `null` where torchvision has NaN). */
  readonly metrics: Readonly<Record<string, Readonly<Record<string, number | null>>>>;
  /** The weights' license, where it differs from torchvision's. */
  readonly license?: string;
}

/**
 * One entry of a weights enum (torchvision's `Weights`): where PyTorch publishes the file, how
 * inputs must be preprocessed, and the metadata. Pass it as a factory's `weights`.
 *
 * @example
 * ```ts
 * const w = ResNet18Weights.IMAGENET1K_V1;
 * w.name;       // 'ResNet18_Weights.IMAGENET1K_V1'
 * w.url;        // 'https://download.pytorch.org/models/resnet18-f37072fd.pth'
 * w.fileName;   // 'resnet18-f37072fd.safetensors'
 * const net = resnet18({ weights: w, weightsPath: '/models/resnet18-f37072fd.safetensors' });
 * ```
 */
export class Weights {
  constructor(
    /** `EnumName.ENTRY`, as Python prints it. */
    readonly name: string,
    /** Where PyTorch publishes the `.pth` file. */
    readonly url: string,
    readonly transforms: ImageClassificationTransforms,
    readonly meta: WeightsMeta,
  ) {
    Object.freeze(this);
  }
  /** The converted file's name: the URL's file name with `.safetensors` for `.pth`. */
  get fileName(): string {
    return basename(this.url).replace(/\.pth$/, '') + '.safetensors';
  }
  toString(): string {
    return this.name;
  }
}

/**
 * A model's weights enum: its entries by name plus `DEFAULT` (torchvision's `WeightsEnum`).
 *
 * @example
 * ```ts
 * const all: WeightsEnum = ResNet50Weights;
 * Object.keys(all); // ['IMAGENET1K_V1', 'IMAGENET1K_V2', 'DEFAULT']
 * ```
 */
export type WeightsEnum<K extends string = string> = Readonly<Record<K | 'DEFAULT', Weights>>;

/** One entry as the generated catalog writes it. @internal */
export interface WeightsSpec {
  url: string;
  cropSize: number;
  resizeSize: number;
  interpolation: InterpolationMode;
  numParams: number;
  minSize: readonly number[];
  recipe: string;
  metrics: Record<string, Record<string, number | null>>;
  mean?: readonly number[];
  std?: readonly number[];
  categories?: null;
  license?: string;
}

/** The torchvision model name of each entry, for the conversion hint. */
const TORCHVISION_MODEL = new WeakMap<Weights, string>();

const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/**
 * Builds a frozen weights enum from the catalog's entries; `defaultKey` becomes `DEFAULT`.
 * @internal
 */
export function weightsEnum<K extends string>(enumName: string, model: string, specs: Record<K, WeightsSpec>, defaultKey: NoInfer<K>): WeightsEnum<K> {
  const out: Record<string, Weights> = {};
  for (const [key, s] of Object.entries(specs) as [string, WeightsSpec][]) {
    const triple = (v: readonly number[] | undefined, d: readonly [number, number, number]) => Object.freeze([...(v ?? d)]) as unknown as readonly [number, number, number];
    out[key] = new Weights(
      `${enumName}.${key}`,
      s.url,
      Object.freeze({ cropSize: s.cropSize, resizeSize: s.resizeSize, mean: triple(s.mean, IMAGENET_MEAN), std: triple(s.std, IMAGENET_STD), interpolation: s.interpolation }),
      Object.freeze({
        categories: s.categories === null ? null : IMAGENET_CATEGORIES,
        numParams: s.numParams,
        minSize: Object.freeze([s.minSize[0]!, s.minSize[1]!]) as readonly [number, number],
        recipe: s.recipe,
        metrics: Object.freeze(s.metrics),
        ...(s.license !== undefined ? { license: s.license } : {}),
      }),
    );
    TORCHVISION_MODEL.set(out[key]!, model);
  }
  out.DEFAULT = out[defaultKey]!;
  return Object.freeze(out) as WeightsEnum<K>;
}

/**
 * The folder where converted weights are looked for: `$FLINT_HOME/hub/checkpoints`, with
 * `FLINT_HOME` defaulting to `$XDG_CACHE_HOME/flint` or `~/.cache/flint` (PyTorch's
 * `$TORCH_HOME/hub/checkpoints`).
 *
 * @example
 * ```ts
 * weightsDir(); // '/home/me/.cache/flint/hub/checkpoints'
 * ```
 */
export function weightsDir(): string {
  const home = process.env.FLINT_HOME || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'flint');
  return join(home, 'hub', 'checkpoints');
}

/**
 * Where a factory looks for `weights` when no `weightsPath` is given.
 *
 * @example
 * ```ts
 * weightsFile(ResNet18Weights.IMAGENET1K_V1); // '~/.cache/flint/hub/checkpoints/resnet18-f37072fd.safetensors'
 * ```
 */
export function weightsFile(weights: Weights): string {
  return join(weightsDir(), weights.fileName);
}

/**
 * The weights options every model factory takes.
 *
 * @example
 * ```ts
 * resnet18({ weights: ResNet18Weights.IMAGENET1K_V1, weightsPath: 'resnet18.safetensors' });
 * resnet18({ weights: 'finetuned-resnet18.safetensors', numClasses: 10 });
 * ```
 */
export interface WeightsOptions<W extends Weights = Weights> {
  /**
   * A weights entry of this model (`ResNet18Weights.DEFAULT`), or the path of a safetensors
   * state dict to load; `null` or absent: random initialisation.
   */
  weights?: W | string | null;
  /** With a weights entry: the converted file to load instead of the one in {@link weightsDir}. */
  weightsPath?: string;
}

/** Options every classification factory takes. */
export interface ClassifierFactoryOptions<W extends Weights = Weights> extends WeightsOptions<W> {
  /** Number of output classes (default 1000; a weights entry sets it to its categories' count). */
  numClasses?: number;
  /** The generator the initial values are drawn from (default: the one `manualSeed` seeds). */
  generator?: Generator;
}

/** What {@link resolveWeights} decided. @internal */
export interface ResolvedWeights {
  /** The weights entry, if one was given. */
  weights: Weights | null;
  /** The file to load after building, or null for random initialisation. */
  path: string | null;
  /** The class count to build with. */
  numClasses: number | undefined;
}

const describe = (v: unknown): string =>
  v === null ? 'null' : v instanceof Weights ? v.name : typeof v === 'object' ? ((v as object).constructor?.name ?? 'object') : typeof v === 'string' ? JSON.stringify(v) : String(v);

/**
 * Checks a factory's weights options against the model's enum (torchvision's `verify` and
 * `_ovewrite_named_param`) and finds the file to load.
 * @internal
 */
export function resolveWeights(fn: string, enumObj: WeightsEnum | null, options: WeightsOptions & { numClasses?: number }): ResolvedWeights {
  const { weights, weightsPath } = options;
  let numClasses = options.numClasses;
  if (numClasses !== undefined && (!Number.isInteger(numClasses) || numClasses < 1)) {
    throw new ArgumentError(`${fn}: numClasses must be a positive integer (got ${describe(numClasses)})`);
  }
  if (weightsPath !== undefined && (typeof weightsPath !== 'string' || weightsPath === '')) {
    throw new ArgumentError(`${fn}: weightsPath must be a non-empty string (got ${describe(weightsPath)})`);
  }
  if (weights === undefined || weights === null) {
    if (weightsPath !== undefined) {
      throw new ArgumentError(`${fn}: weightsPath is given but weights is not; pass { weights: '${weightsPath}' } to load a state dict file, or a weights entry with weightsPath`);
    }
    return { weights: null, path: null, numClasses };
  }
  if (typeof weights === 'string') {
    if (weights === '') throw new ArgumentError(`${fn}: weights must be a weights entry or a non-empty file path (got "")`);
    if (weightsPath !== undefined) throw new ArgumentError(`${fn}: give the file either as weights ('${weights}') or as weightsPath ('${weightsPath}'), not both`);
    return { weights: null, path: weights, numClasses };
  }
  const entries = enumObj === null ? [] : Object.values(enumObj);
  if (!(weights instanceof Weights) || !entries.includes(weights)) {
    const got = weights instanceof Weights ? flintName(weights) : describe(weights);
    if (enumObj === null) throw new ArgumentError(`${fn}: weights must be a file path; this model has no pretrained weights (got ${got})`);
    const names = Object.keys(enumObj).map((k) => `${flintName(entries[0]!).split('.')[0]}.${k}`).join(', ');
    throw new ArgumentError(`${fn}: weights must be one of ${names}, or a file path (got ${got})`);
  }
  const categories = weights.meta.categories;
  if (categories !== null) {
    if (numClasses !== undefined && numClasses !== categories.length) {
      throw new ArgumentError(
        `${fn}: numClasses must be ${categories.length} with ${weights.name} (got ${numClasses}); to train a new head, build with these weights and replace the last layer`,
      );
    }
    numClasses = categories.length;
  }
  const path = weightsPath ?? weightsFile(weights);
  if (!existsSync(path)) throw missingWeights(fn, weights, path, weightsPath !== undefined);
  return { weights, path, numClasses };
}

/** Flint's name of an entry: `ResNet18_Weights.IMAGENET1K_V1` -> `ResNet18Weights.IMAGENET1K_V1`. */
function flintName(w: Weights): string {
  const [enumName, key] = w.name.split('.') as [string, string];
  return `${enumName.replace(/_Weights$/, '').replace(/_(?![0-9])|(?<![0-9])_/g, '')}Weights.${key}`;
}

function missingWeights(fn: string, w: Weights, path: string, given: boolean): WeightsError {
  const model = TORCHVISION_MODEL.get(w) ?? '<model>';
  const where = given ? `weightsPath ${path} does not exist` : `they are not in ${weightsDir()} (looked for ${path})`;
  return new WeightsError(
    `${fn}: cannot load the pretrained weights ${w.name}: ${where}. Flint does not download weights; convert them once from PyTorch:\n` +
      `  python3 tools/fixtures/vision_export_weights.py --model ${model} --weights ${w.name.split('.')[1]} --out ${path}\n` +
      `or, from the downloaded ${w.url}:\n` +
      `  python3 -c "import torch, safetensors.torch as st; st.save_file(torch.load('${basename(w.url)}'), '${w.fileName}')"\n` +
      `then pass { weights: ${flintName(w)}, weightsPath: '<file>' } or put the file at ${path} (set FLINT_HOME to move the cache folder).`,
  );
}

/**
 * Loads a safetensors state dict into `model` by name, strictly, and frees the loaded tensors.
 * `remap` renames legacy keys first (DenseNet's `norm.1`, ViT's `linear_1`); a batch norm
 * without `num_batches_tracked` in the file keeps its own, as in PyTorch.
 * @internal
 */
export function loadWeightsFile(fn: string, model: nn.AnyModule, path: string, remap?: (key: string) => string): void {
  const loaded: unknown = loadSync(path);
  const tensors = new Set<Tensor>();
  try {
    if (typeof loaded !== 'object' || loaded === null || Array.isArray(loaded)) {
      throw new WeightsError(`${fn}: ${path} does not hold a state dict (an object of tensors by name); it holds ${describe(loaded)}`);
    }
    const sd: Record<string, Tensor> = {};
    const bad: string[] = [];
    for (const [k, v] of Object.entries(loaded)) {
      if (v instanceof Tensor) {
        tensors.add(v);
        sd[remap ? remap(k) : k] = v;
      } else bad.push(k);
    }
    if (bad.length > 0) {
      throw new WeightsError(`${fn}: ${path} does not hold a state dict: ${bad.slice(0, 5).map((k) => `'${k}'`).join(', ')} ${bad.length === 1 ? 'is not a tensor' : 'are not tensors'}`);
    }
    // Checkpoints saved before PyTorch 0.4.1 have no num_batches_tracked; PyTorch's batch norm
    // loads them anyway, keeping its own count (0). So does Flint.
    for (const [k, t] of Object.entries(model.stateDict())) {
      if (k.endsWith('num_batches_tracked') && !(k in sd) && `${k.slice(0, -'num_batches_tracked'.length)}running_mean` in sd) sd[k] = t;
    }
    try {
      model.loadStateDict(sd);
    } catch (e) {
      if (!StateDictError.isInstance(e)) throw e;
      const err = new StateDictError(`${fn}: the state dict in ${path} does not fit ${model.constructor.name}: ${(e as Error).message}`);
      (err as { cause?: unknown }).cause = e;
      throw err;
    }
  } finally {
    for (const t of tensors) t.dispose();
  }
}

/**
 * Builds a model and loads the resolved weights into it, freeing the model if loading fails.
 * @internal
 */
export function withWeights<M extends nn.AnyModule>(fn: string, resolved: ResolvedWeights, model: M, remap?: (key: string) => string): M {
  if (resolved.path === null) return model;
  try {
    loadWeightsFile(fn, model, resolved.path, remap);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}
