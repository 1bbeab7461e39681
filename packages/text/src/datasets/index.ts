/**
 * Text datasets (`torchtext.datasets` and legacy `TabularDataset`), the SpamAssassin corpus,
 * and the download helpers.
 * @module
 */
export { TextDataset, AG_NEWS, IMDB, SST2, TREC, WikiText2, WikiText103, PennTreebank, Multi30k, UDPOS, CoNLL2000Chunking, SQuAD1, SQuAD2 } from './text-datasets.js';
export type { TextDatasetOptions, SquadRow } from './text-datasets.js';
export { TabularDataset } from './tabular-dataset.js';
export type { Field, Example, TabularDatasetOptions } from './tabular-dataset.js';
export { SpamAssassin, SPAM_ASSASSIN_GROUPS } from './spam-assassin.js';
export type { SpamAssassinGroup, SpamAssassinOptions } from './spam-assassin.js';
export { parseCsv } from './csv.js';
export { downloadUrl, extractArchive } from './download.js';
export type { DownloadUrlOptions, FileHash } from './download.js';
