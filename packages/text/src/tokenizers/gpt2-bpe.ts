/**
 * GPT-2's byte-level BPE (`torchtext.transforms.GPT2BPETokenizer`, OpenAI's `encoder.py`): text
 * is split by GPT-2's pattern, each piece's UTF-8 bytes are mapped to printable characters, and
 * the merges of `vocab.bpe` are applied by rank; `encoder.json` gives the ids. Every string
 * round-trips: `decode(encode(s)) === s`.
 * @module
 */
import { readFileSync } from 'node:fs';
import { ArgumentError } from '@flint/core';
import { DatasetError } from '../errors.js';
import { describe } from '../util.js';

const PATTERN = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** GPT-2's reversible map from the 256 byte values to printable unicode characters. */
function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const table = new Array<string>(256);
  for (const b of bs) table[b] = String.fromCharCode(b);
  let n = 0;
  for (let b = 0; b < 256; b++) if (table[b] === undefined) table[b] = String.fromCharCode(256 + n++);
  return table;
}

function readText(fn: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new DatasetError(`${fn}: cannot read ${path} (${(e as Error).message})`);
  }
}

/**
 * GPT-2's tokenizer from its `encoder.json` (token -> id) and `vocab.bpe` (merges by rank).
 *
 * @example
 * ```ts
 * const gpt2 = GPT2BPETokenizer.fromFiles('encoder.json', 'vocab.bpe');
 * gpt2.encode('Hello world');        // [15496, 995]
 * gpt2.tokenize('Hello world');      // ['Hello', 'Ġworld']
 * gpt2.decode([15496, 995]);         // 'Hello world'
 * ```
 */
export class GPT2BPETokenizer {
  readonly encoder: ReadonlyMap<string, number>;
  readonly decoder: ReadonlyMap<number, string>;
  /** `'a b'` -> rank of the merge of a and b (lower merges first). */
  readonly bpeRanks: ReadonlyMap<string, number>;
  readonly #byteEncoder = bytesToUnicode();
  readonly #byteDecoder = new Map(this.#byteEncoder.map((c, b) => [c, b]));
  readonly #cache = new Map<string, string[]>();

  constructor(encoder: Record<string, number>, merges: readonly (readonly [string, string])[]) {
    if (typeof encoder !== 'object' || encoder === null) throw new ArgumentError(`GPT2BPETokenizer(): encoder must be an object of token -> id (got ${describe(encoder)})`);
    if (!Array.isArray(merges)) throw new ArgumentError(`GPT2BPETokenizer(): merges must be an array of [a, b] pairs (got ${describe(merges)})`);
    this.encoder = new Map(Object.entries(encoder));
    this.decoder = new Map([...this.encoder].map(([k, v]) => [v, k]));
    this.bpeRanks = new Map(merges.map(([a, b], i) => [`${a} ${b}`, i]));
  }

  /** Reads GPT-2's `encoder.json` and `vocab.bpe`. */
  static fromFiles(encoderJsonPath: string, vocabBpePath: string): GPT2BPETokenizer {
    const fn = 'GPT2BPETokenizer.fromFiles()';
    let encoder: Record<string, number>;
    try {
      encoder = JSON.parse(readText(fn, encoderJsonPath)) as Record<string, number>;
    } catch (e) {
      if (DatasetError.isInstance(e)) throw e;
      throw new DatasetError(`${fn}: ${encoderJsonPath} is not valid JSON (${(e as Error).message})`);
    }
    const lines = readText(fn, vocabBpePath).split('\n');
    const merges: [string, string][] = [];
    lines.forEach((line, i) => {
      if (line.startsWith('#version') || line.trim() === '') return;
      const parts = line.trim().split(/\s+/);
      if (parts.length !== 2) throw new DatasetError(`${fn}: line ${i + 1} of ${vocabBpePath} must be two symbols separated by a space (got ${describe(line)})`);
      merges.push([parts[0]!, parts[1]!]);
    });
    return new GPT2BPETokenizer(encoder, merges);
  }

  /** The merges applied to one pre-token (already byte-mapped). */
  bpe(token: string): string[] {
    const hit = this.#cache.get(token);
    if (hit !== undefined) return hit;
    let word = Array.from(token);
    while (word.length > 1) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < word.length - 1; i++) {
        const r = this.bpeRanks.get(`${word[i]} ${word[i + 1]}`);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      const [a, b] = [word[best]!, word[best + 1]!];
      const next: string[] = [];
      for (let i = 0; i < word.length; ) {
        if (i < word.length - 1 && word[i] === a && word[i + 1] === b) {
          next.push(a + b);
          i += 2;
        } else next.push(word[i++]!);
      }
      word = next;
    }
    if (this.#cache.size < 100_000) this.#cache.set(token, word);
    return word;
  }

  /** The BPE tokens of `text` (in GPT-2's byte alphabet: a leading space shows as `Ġ`). */
  tokenize(text: string): string[] {
    if (typeof text !== 'string') throw new ArgumentError(`GPT2BPETokenizer.tokenize(): text must be a string (got ${describe(text)})`);
    const utf8 = new TextEncoder();
    const out: string[] = [];
    for (const m of text.matchAll(PATTERN)) {
      let mapped = '';
      for (const b of utf8.encode(m[0])) mapped += this.#byteEncoder[b];
      out.push(...this.bpe(mapped));
    }
    return out;
  }

  /** The token ids of `text`. */
  encode(text: string): number[] {
    return this.tokenize(text).map((t) => {
      const id = this.encoder.get(t);
      if (id === undefined) throw new ArgumentError(`GPT2BPETokenizer.encode(): the token ${describe(t)} is not in encoder.json; the merges and the encoder do not belong together`);
      return id;
    });
  }

  /** The text of `ids` (invalid UTF-8 from a cut multi-byte character becomes U+FFFD). */
  decode(ids: readonly number[]): string {
    const bytes: number[] = [];
    ids.forEach((id, i) => {
      const t = this.decoder.get(id);
      if (t === undefined) throw new ArgumentError(`GPT2BPETokenizer.decode(): ids[${i}] (${id}) is not an id of encoder.json`);
      for (const ch of t) bytes.push(this.#byteDecoder.get(ch)!);
    });
    return new TextDecoder().decode(new Uint8Array(bytes));
  }
}
