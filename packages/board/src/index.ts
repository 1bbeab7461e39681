/**
 * `@flint/board`: TensorBoard for Flint. `SummaryWriter` writes event files that TensorBoard and
 * `flint-board` read; `LogdirReader` reads them back (also at `@flint/board/reader`).
 *
 * @example
 * ```ts
 * import { SummaryWriter } from '@flint/board';
 * const writer = new SummaryWriter('runs/exp1');
 * writer.addScalar('loss', 0.25, 1);
 * await writer.close();
 * ```
 * @module
 */
export { SummaryWriter } from './writer/summary-writer.js';
export type { SummaryWriterOptions, WalltimeOption, DataFormats } from './writer/summary-writer.js';
export type { Bins } from './writer/summaries/histogram.js';
export type { ScalarStyle } from './writer/summaries/plugin-values.js';
export type { CustomScalarChart, CustomScalarLayout } from './writer/summaries/plugin-values.js';
export type { ModuleLike } from './writer/summaries/graph.js';
export { EventFileWriter } from './writer/event-file-writer.js';
export type { EventFileWriterOptions } from './writer/event-file-writer.js';
export { defaultLogdir } from './writer/default-logdir.js';
export type { ArrayInput, NdArrayLike, TensorLike, NestedArray, NumericTypedArray } from './util/ndarray.js';
export { FlintError, ArgumentError, ShapeError, DTypeError, WriterClosedError } from './errors.js';
export { crc32c, maskedCrc32c } from './format/crc32c.js';
export { frameRecord, scanRecords } from './format/record.js';
export type { ScanResult, RecordProblem } from './format/record.js';
export { encodeEvent, decodeEvent } from './format/event-proto.js';
export type { EventData, SummaryValueData, SummaryMetadataData, HistogramData, ImageData, AudioData, SessionLogData } from './format/event-proto.js';
export * from './reader/index.js';
export { startBoard } from './viewer/server.js';
export type { BoardOptions, BoardServer } from './viewer/server.js';
