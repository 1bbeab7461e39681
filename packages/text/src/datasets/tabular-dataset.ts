/**
 * `TabularDataset` (legacy `torchtext.data.TabularDataset`): examples with named fields from a
 * CSV, TSV or JSON-lines file, each field optionally preprocessed (a tokenizer, a label map).
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError, data } from '@flint/core';
import { DatasetError } from '../errors.js';
import { describe } from '../util.js';
import { parseCsv } from './csv.js';

/** One field: its name in the examples and how to preprocess its raw string (or JSON value). */
export interface Field {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  preprocess?: (value: any) => unknown;
}

/** Options of {@link TabularDataset}. */
export interface TabularDatasetOptions {
  /** `'csv'`, `'tsv'` or `'json'` (one JSON object per line). */
  format: 'csv' | 'tsv' | 'json';
  /**
   * CSV/TSV: one entry per column, in order (`null` skips a column). JSON: a map from the key in
   * the file to the field.
   */
  fields: readonly (Field | null)[] | Readonly<Record<string, Field>>;
  /** CSV/TSV: the first row is a header (default false). */
  skipHeader?: boolean;
}

/** An example: field name -> preprocessed value. */
export type Example = Record<string, unknown>;

/**
 * Examples with named fields from a tabular file.
 *
 * @example
 * ```ts
 * const tokenizer = getTokenizer('basic_english');
 * const ds = new TabularDataset('data/train.tsv', {
 *   format: 'tsv', skipHeader: true,
 *   fields: [{ name: 'text', preprocess: tokenizer }, { name: 'label', preprocess: Number }],
 * });
 * ds.getItem(0); // { text: ['how', 'did', ...], label: 1 }
 * ```
 */
export class TabularDataset extends data.Dataset<Example> {
  readonly examples: Example[];
  readonly path: string;

  constructor(path: string, options: TabularDatasetOptions) {
    super();
    const fn = 'TabularDataset()';
    const { format, fields } = options ?? ({} as TabularDatasetOptions);
    if (!['csv', 'tsv', 'json'].includes(format)) throw new ArgumentError(`${fn}: format must be 'csv', 'tsv' or 'json' (got ${describe(format)})`);
    this.path = path;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new DatasetError(`${fn}: cannot read ${path} (${(e as Error).message})`);
    }
    const apply = (f: Field, v: unknown): unknown => (f.preprocess ? f.preprocess(v) : v);
    if (format === 'json') {
      if (Array.isArray(fields) || typeof fields !== 'object' || fields === null) {
        throw new ArgumentError(`${fn}: with format 'json', fields must map JSON keys to fields, e.g. { question: { name: 'q' } } (got ${describe(fields)})`);
      }
      const entries = Object.entries(fields as Record<string, Field>);
      this.examples = text.split('\n').flatMap((line, i) => {
        if (line.trim() === '') return [];
        let obj: Record<string, unknown>;
        try {
          obj = JSON.parse(line) as Record<string, unknown>;
        } catch (e) {
          throw new DatasetError(`${fn}: line ${i + 1} of ${path} is not valid JSON (${(e as Error).message})`);
        }
        return [Object.fromEntries(entries.map(([key, f]) => [f.name, apply(f, obj[key])]))];
      });
    } else {
      if (!Array.isArray(fields)) throw new ArgumentError(`${fn}: with format '${format}', fields must be an array with one entry (or null) per column (got ${describe(fields)})`);
      const rows = parseCsv(text, format === 'tsv' ? '\t' : ',');
      if (options.skipHeader) rows.shift();
      this.examples = rows.map((row, r) => {
        if (row.length < fields.length) {
          throw new DatasetError(`${fn}: row ${r + (options.skipHeader ? 2 : 1)} of ${path} has ${row.length} columns, fewer than the ${fields.length} fields`);
        }
        const ex: Example = {};
        (fields as (Field | null)[]).forEach((f, c) => {
          if (f !== null) ex[f.name] = apply(f, row[c]);
        });
        return ex;
      });
    }
  }

  getItem(index: number): Example {
    const ex = this.examples[index];
    if (ex === undefined) throw new ArgumentError(`TabularDataset.getItem(): index must be in [0, ${this.examples.length - 1}] (got ${describe(index)})`);
    return ex;
  }

  len(): number {
    return this.examples.length;
  }

  /**
   * The train/validation/test datasets of a folder (`TabularDataset.splits`); a split whose file
   * name is not given is left out (undefined).
   *
   * @example
   * ```ts
   * const [train, valid, test] = TabularDataset.splits('data', { train: 'train.tsv', validation: 'val.tsv', test: 'test.tsv', format: 'tsv', fields });
   * ```
   */
  static splits(
    path: string,
    options: TabularDatasetOptions & { train?: string; validation?: string; test?: string },
  ): [TabularDataset | undefined, TabularDataset | undefined, TabularDataset | undefined] {
    const make = (file: string | undefined) => (file === undefined ? undefined : new TabularDataset(join(path, file), options));
    return [make(options.train), make(options.validation), make(options.test)];
  }
}
