/**
 * `EventFileWriter`: one event file, a queue of framed records, a periodic flush, and a flush on
 * process exit. Records are appended whole with synchronous writes, so a crash loses at most what
 * was still queued and never leaves a corrupt record behind a good one.
 * @module
 */
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type EventData, encodeEvent } from '../format/event-proto.js';
import { frameRecord } from '../format/record.js';

/** Options of an {@link EventFileWriter} (PyTorch's `FileWriter` arguments). */
export interface EventFileWriterOptions {
  /** Queued events that force a flush (`max_queue`, default 10). */
  maxQueue?: number;
  /** Seconds between periodic flushes (`flush_secs`, default 120). */
  flushSecs?: number;
  /** Appended to the file name (`filename_suffix`). */
  filenameSuffix?: string;
}

type Entry = { bytes: Uint8Array } | { pending: Promise<void>; bytes?: Uint8Array; dropped?: boolean };

let fileCounter = 0;
const openWriters = new Set<EventFileWriter>();
let exitHookInstalled = false;

function onExit(): void {
  for (const w of [...openWriters]) {
    try {
      w.closeSync();
    } catch {
      // Nothing can be reported on the way out; other writers still get their flush.
    }
  }
}

function track(w: EventFileWriter): void {
  openWriters.add(w);
  if (!exitHookInstalled) {
    process.on('exit', onExit);
    exitHookInstalled = true;
  }
}

function untrack(w: EventFileWriter): void {
  openWriters.delete(w);
  if (openWriters.size === 0 && exitHookInstalled) {
    process.off('exit', onExit);
    exitHookInstalled = false;
  }
}

/** Now, in seconds since the epoch, as event wall times are. */
export function nowSeconds(): number {
  return Date.now() / 1000;
}

/**
 * Writes events to one `events.out.tfevents.*` file in `logdir`. The file and its first event
 * (`file_version: "brain.Event:2"`) are written at construction.
 *
 * @example
 * ```ts
 * const fw = new EventFileWriter('runs/exp1');
 * fw.addEvent({ wallTime: Date.now() / 1000, step: 1, summary: [{ tag: 'loss', simpleValue: 0.5 }] });
 * await fw.close();
 * ```
 */
export class EventFileWriter {
  /** The directory of the file. */
  readonly logdir: string;
  /** The full path of the event file. */
  readonly path: string;
  private fd: number | null;
  private readonly queue: Entry[] = [];
  private readonly maxQueue: number;
  private readonly timer: ReturnType<typeof setInterval>;
  private writeError: Error | null = null;

  constructor(logdir: string, options: EventFileWriterOptions = {}) {
    this.logdir = logdir;
    this.maxQueue = options.maxQueue ?? 10;
    const secs = Math.floor(Date.now() / 1000).toString().padStart(10, '0');
    const name = `events.out.tfevents.${secs}.${hostname()}.${process.pid}.${fileCounter++}${options.filenameSuffix ?? ''}`;
    mkdirSync(logdir, { recursive: true });
    this.path = join(logdir, name);
    this.fd = openSync(this.path, 'a');
    this.writeAll([frameRecord(encodeEvent({ wallTime: nowSeconds(), fileVersion: 'brain.Event:2' }))]);
    const flushMs = Math.max(1, (options.flushSecs ?? 120) * 1000);
    this.timer = setInterval(() => {
      try {
        this.flushSync();
      } catch (e) {
        process.emitWarning((e as Error).message, 'FlintBoardWarning');
      }
    }, flushMs);
    this.timer.unref();
    track(this);
  }

  /** Whether {@link close} or {@link closeSync} was called. */
  get closed(): boolean {
    return this.fd === null;
  }

  /** Queues an event; flushes when `maxQueue` events are waiting. */
  addEvent(event: EventData): void {
    this.queue.push({ bytes: frameRecord(encodeEvent(event)) });
    if (this.queue.length >= this.maxQueue) this.flushSync();
  }

  /**
   * Queues an event whose content is still being computed (an image being encoded). Its place in
   * the file is kept: later events wait behind it, so steps of a series stay in order. A rejected
   * promise drops the event.
   */
  addPendingEvent(event: Promise<EventData>): Promise<void> {
    const entry: Entry = { pending: Promise.resolve() };
    entry.pending = event.then(
      (e) => {
        entry.bytes = frameRecord(encodeEvent(e));
        entry.pending = Promise.resolve();
        if (this.fd !== null) this.flushReady();
      },
      (err: unknown) => {
        entry.dropped = true;
        if (this.fd !== null) this.flushReady();
        throw err;
      },
    );
    this.queue.push(entry);
    return entry.pending;
  }

  /** Writes the queued events that are ready, in order, up to the first one still pending. */
  private flushReady(): void {
    const out: Uint8Array[] = [];
    let n = 0;
    for (const e of this.queue) {
      if ('pending' in e && e.bytes === undefined && !e.dropped) break;
      if (e.bytes !== undefined) out.push(e.bytes);
      n++;
    }
    this.queue.splice(0, n);
    if (out.length > 0) this.writeAll(out);
  }

  private writeAll(chunks: Uint8Array[]): void {
    if (this.fd === null) return;
    const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    let off = 0;
    try {
      while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    } catch (e) {
      this.writeError = e as Error;
      throw new Error(`SummaryWriter: writing ${this.path} failed: ${(e as Error).message}`);
    }
  }

  /** Writes every ready queued event now, synchronously. */
  flushSync(): void {
    this.flushReady();
  }

  /** Waits for pending events, then writes everything queued. */
  async flush(): Promise<void> {
    this.flushReady();
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if ('pending' in head) await head.pending.catch(() => undefined);
      this.flushReady();
    }
  }

  /**
   * Writes what is ready and closes the file now. Events still pending (images being encoded)
   * are lost; this is what runs on process exit.
   */
  closeSync(): void {
    if (this.fd === null) return;
    clearInterval(this.timer);
    const out: Uint8Array[] = [];
    for (const e of this.queue) if (e.bytes !== undefined) out.push(e.bytes);
    this.queue.length = 0;
    try {
      if (out.length > 0) this.writeAll(out);
      if (this.writeError === null) fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
      this.fd = null;
      untrack(this);
    }
  }

  /** Waits for pending events, writes everything, and closes the file. */
  async close(): Promise<void> {
    if (this.fd === null) return;
    await this.flush();
    this.closeSync();
  }
}
