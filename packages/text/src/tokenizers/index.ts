/**
 * Tokenizers: word-level (`getTokenizer`, `basicEnglishNormalize`, `WinkTokenizer`,
 * `RegexTokenizer`) and subword (`BERTTokenizer` WordPiece, `GPT2BPETokenizer` byte-level BPE).
 * @module
 */
export { basicEnglishNormalize } from './basic-english.js';
export { getTokenizer, whitespaceTokenize, WinkTokenizer, RegexTokenizer } from './get-tokenizer.js';
export type { Tokenizer, TokenizerSpec, TaggedToken } from './get-tokenizer.js';
export { BERTTokenizer } from './bert.js';
export type { BERTTokenizerOptions } from './bert.js';
export { GPT2BPETokenizer } from './gpt2-bpe.js';
