/**
 * Vocabularies and pretrained vectors (`torchtext.vocab`).
 * @module
 */
export { Vocab, VocabError, vocab, buildVocabFromIterator, compareCodePoints } from './vocab.js';
export type { VocabOptions, BuildVocabOptions } from './vocab.js';
export { Vectors, GloVe, FastText, embeddingFromVocab } from './vectors.js';
export type { VectorsOptions, WinkEmbeddings } from './vectors.js';
