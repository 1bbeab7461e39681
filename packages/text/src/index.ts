/**
 * `@flint/text`: the torchtext analog for Flint. Tokenizers (torchtext's `basic_english`,
 * wink-tokenizer, whitespace, regex, BERT WordPiece, GPT-2 byte-level BPE), vocabularies and
 * pretrained vectors, transforms, a bucketing batch sampler and a BPTT iterator, dataset readers,
 * and the SpamAssassin corpus. Variable-length batches go to core's RNNs through
 * `nn.utils.packPaddedSequence`.
 *
 * @example
 * ```ts
 * import { getTokenizer, buildVocabFromIterator, datasets } from '@flint/text';
 * const tokenizer = getTokenizer('basic_english');
 * const train = datasets.SpamAssassin({ limit: 1000 });
 * const vocab = buildVocabFromIterator([...train].map(([text]) => tokenizer(text)), { specials: ['<unk>'], minFreq: 2 });
 * vocab.setDefaultIndex(vocab.getItem('<unk>'));
 * const ids = vocab(tokenizer('Free money!!!'));
 * ```
 * @module
 */
export { DatasetError } from './errors.js';
export * from './tokenizers/index.js';
export * from './vocab/index.js';
export * as transforms from './transforms/index.js';
export * from './data/index.js';
export * as datasets from './datasets/index.js';
