/**
 * TFRecord framing of event files: `uint64 length | uint32 masked_crc(length) | data |
 * uint32 masked_crc(data)`, little-endian. {@link frameRecord} writes one record;
 * {@link scanRecords} reads as many whole records as a buffer holds, telling a short tail (more
 * data coming) from corruption.
 * @module
 */
import { maskedCrc32c } from './crc32c.js';

/** Bytes of framing around a record's data: 8 length + 4 length CRC + 4 data CRC. */
export const RECORD_OVERHEAD = 16;

/**
 * Frames `data` as one TFRecord.
 *
 * @example
 * ```ts
 * const bytes = frameRecord(encodeEvent({ wallTime: 1599759586, fileVersion: 'brain.Event:2' }));
 * ```
 */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + RECORD_OVERHEAD);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length >>> 0, true);
  view.setUint32(4, Math.floor(data.length / 2 ** 32), true);
  view.setUint32(8, maskedCrc32c(out, 0, 8), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** What went wrong with a record. */
export type RecordProblemKind = 'bad-length-crc' | 'bad-data-crc';

/** A problem met while scanning records. */
export interface RecordProblem {
  kind: RecordProblemKind;
  /** Offset of the record's first byte, relative to the scanned buffer. */
  offset: number;
  message: string;
}

/** What {@link scanRecords} found. */
export interface ScanResult {
  /** The data of each whole record with a good CRC, in order, with its offset in the buffer. */
  records: { offset: number; data: Uint8Array }[];
  /** Bytes consumed: everything up to the end of the last whole record (good or skipped). */
  consumed: number;
  /** Records skipped because their data CRC was wrong. */
  problems: RecordProblem[];
  /**
   * Set when a length CRC was wrong: the framing cannot be trusted after `consumed`, so the rest
   * of the file is unreadable (TensorBoard stops there too).
   */
  fatal?: RecordProblem;
}

/**
 * Reads whole records from `buf`. A record cut short at the end is left unconsumed (a file being
 * written is normal); a record whose data CRC is wrong is skipped and reported; a wrong length
 * CRC stops the scan.
 *
 * @example
 * ```ts
 * const { records, consumed } = scanRecords(fs.readFileSync(path));
 * ```
 */
export function scanRecords(buf: Uint8Array, maxRecordBytes = 2 ** 31): ScanResult {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const records: ScanResult['records'] = [];
  const problems: RecordProblem[] = [];
  let pos = 0;
  while (buf.length - pos >= 12) {
    const lengthCrc = view.getUint32(pos + 8, true);
    if (maskedCrc32c(buf, pos, pos + 8) !== lengthCrc) {
      return { records, consumed: pos, problems, fatal: { kind: 'bad-length-crc', offset: pos, message: 'the length CRC of a record is wrong: the rest of the file cannot be framed' } };
    }
    const length = view.getUint32(pos, true) + view.getUint32(pos + 4, true) * 2 ** 32;
    if (length > maxRecordBytes) {
      return { records, consumed: pos, problems, fatal: { kind: 'bad-length-crc', offset: pos, message: `a record claims ${length} bytes, more than the ${maxRecordBytes} allowed` } };
    }
    const end = pos + 12 + length + 4;
    if (end > buf.length) break;
    const data = buf.subarray(pos + 12, pos + 12 + length);
    if (maskedCrc32c(data) !== view.getUint32(pos + 12 + length, true)) {
      problems.push({ kind: 'bad-data-crc', offset: pos, message: `the data CRC of a ${length}-byte record is wrong: record skipped` });
    } else {
      records.push({ offset: pos, data });
    }
    pos = end;
  }
  return { records, consumed: pos, problems };
}
