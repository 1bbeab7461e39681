/**
 * Incremental reading of one event file: keeps the byte offset after the last whole record, so a
 * reload reads only what was appended. A short tail is left for the next reload (the writer is
 * still writing); a record with a bad data CRC or an undecodable Event is reported and skipped;
 * a bad length CRC makes the rest of the file unreadable, and it is reported once and not read
 * again.
 * @module
 */
import { open } from 'node:fs/promises';
import { type EventData, decodeEvent, decodeSimpleScalarEvent } from '../format/event-proto.js';
import { scanRecords } from '../format/record.js';

/** A problem met while reading a logdir: reported, skipped, never thrown. */
export interface ReadProblem {
  /** 'bad-length-crc' stops reading a file; the others skip one record or file. */
  kind: 'bad-length-crc' | 'bad-data-crc' | 'bad-event' | 'io-error' | 'truncated-file' | 'bad-projector-config' | 'plugin-mismatch';
  /** The file concerned. */
  path: string;
  /** Byte offset of the record, when the problem is one record. */
  offset?: number;
  message: string;
}

const CHUNK = 16 << 20;

/**
 * Reads new records of one event file.
 *
 * @example
 * ```ts
 * const loader = new EventFileLoader('runs/exp/events.out.tfevents.1700000000.host.1.0');
 * await loader.load((e) => console.log(e.step), (p) => console.warn(p.message));
 * ```
 */
export class EventFileLoader {
  /** The file. */
  readonly path: string;
  /** Bytes consumed: the end of the last whole record. */
  offset = 0;
  /** Set once a bad length CRC (or a shrunk file) makes the rest unreadable. */
  dead = false;

  constructor(path: string) {
    this.path = path;
  }

  /** Reads the records appended since the last call; returns how many events were decoded. */
  async load(onEvent: (e: EventData) => void, onProblem: (p: ReadProblem) => void): Promise<number> {
    if (this.dead) return 0;
    let count = 0;
    let fh;
    try {
      fh = await open(this.path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      onProblem({ kind: 'io-error', path: this.path, message: `cannot open: ${(e as Error).message}` });
      return 0;
    }
    try {
      const { size } = await fh.stat();
      if (size < this.offset) {
        this.dead = true;
        onProblem({ kind: 'truncated-file', path: this.path, message: `the file shrank from ${this.offset} to ${size} bytes; it is not read again` });
        return 0;
      }
      let want = CHUNK;
      while (this.offset < size) {
        const len = Math.min(want, size - this.offset);
        const buf = new Uint8Array(len);
        let got = 0;
        while (got < len) {
          const { bytesRead } = await fh.read(buf, got, len - got, this.offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        const scan = scanRecords(buf.subarray(0, got));
        for (const p of scan.problems) onProblem({ kind: p.kind, path: this.path, offset: this.offset + p.offset, message: p.message });
        for (const r of scan.records) {
          let event: EventData;
          try {
            event = decodeSimpleScalarEvent(r.data) ?? decodeEvent(r.data);
          } catch (e) {
            onProblem({ kind: 'bad-event', path: this.path, offset: this.offset + r.offset, message: `record is not an Event: ${(e as Error).message}` });
            continue;
          }
          onEvent(event);
          count++;
        }
        this.offset += scan.consumed;
        if (scan.fatal) {
          this.dead = true;
          onProblem({ kind: scan.fatal.kind, path: this.path, offset: this.offset, message: `${scan.fatal.message}; ${this.offset} bytes were read` });
          break;
        }
        if (scan.consumed === 0) {
          // One record larger than the chunk: read more at once, or stop at a short tail.
          if (got < len || this.offset + len >= size) break;
          want *= 2;
        }
        if (got < len) break;
      }
    } catch (e) {
      onProblem({ kind: 'io-error', path: this.path, message: `read failed: ${(e as Error).message}` });
    } finally {
      await fh.close();
    }
    return count;
  }
}
