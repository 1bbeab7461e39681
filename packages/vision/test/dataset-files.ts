/**
 * Helpers for the dataset tests: files in the real on-disk formats, and a static HTTP server in
 * a worker thread (dataset constructors block the main thread while a child process downloads,
 * so the server cannot share the test's event loop). @internal
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/** An idx file: magic `0 0 type ndim`, big-endian sizes, big-endian values. */
export function idxBytes(type: 'uint8' | 'int32', shape: number[], values: ArrayLike<number>): Buffer {
  const head = Buffer.alloc(4 + 4 * shape.length);
  head[2] = type === 'uint8' ? 0x08 : 0x0c;
  head[3] = shape.length;
  shape.forEach((s, i) => head.writeUInt32BE(s, 4 + 4 * i));
  let body: Buffer;
  if (type === 'uint8') body = Buffer.from(Uint8Array.from(values));
  else {
    body = Buffer.alloc(values.length * 4);
    for (let i = 0; i < values.length; i++) body.writeInt32BE(values[i]!, 4 * i);
  }
  return Buffer.concat([head, body]);
}

/** A ustar archive of `files` (name -> bytes). */
export function tarBytes(files: Record<string, Uint8Array>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, data] of Object.entries(files)) {
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h[156] = '0'.charCodeAt(0);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    parts.push(h, Buffer.from(data), Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** md5 hex of bytes. */
export function md5(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

const SERVER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { readFile } = require('node:fs/promises');
const { join, normalize } = require('node:path');
const requests = [];
const server = http.createServer(async (req, res) => {
  requests.push(req.url);
  const rel = normalize(decodeURIComponent(req.url.split('?')[0])).replace(/^([/\\\\])+/, '');
  if (rel.startsWith('..')) { res.writeHead(403); res.end(); return; }
  try { const body = await readFile(join(workerData.dir, rel)); res.writeHead(200, { 'content-length': body.length }); res.end(body); }
  catch { res.writeHead(404); res.end('not found'); }
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (m) => { if (m === 'requests') parentPort.postMessage({ requests }); if (m === 'close') server.close(() => process.exit(0)); });
`;

/** A static file server for `dir` on 127.0.0.1, in a worker thread. */
export async function serveDirectory(dir: string): Promise<{ url: string; requests(): Promise<string[]>; close(): Promise<void> }> {
  const worker = new Worker(SERVER, { eval: true, workerData: { dir } });
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    requests: () =>
      new Promise((resolve) => {
        worker.once('message', (m: { requests: string[] }) => resolve(m.requests));
        worker.postMessage('requests');
      }),
    close: async () => {
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

/** A zip archive of `files` (name -> bytes), deflated, as the EMNIST gzip.zip. */
export function zipBytes(files: Record<string, Uint8Array>): Buffer {
  const { deflateRawSync, crc32 } = zlibWithCrc();
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const comp = deflateRawSync(data);
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(0x02014b50, 0);
    cen.writeUInt16LE(20, 4);
    cen.writeUInt16LE(20, 6);
    cen.writeUInt16LE(8, 10);
    cen.writeUInt32LE(crc, 16);
    cen.writeUInt32LE(comp.length, 20);
    cen.writeUInt32LE(data.length, 24);
    cen.writeUInt16LE(nameBuf.length, 28);
    cen.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, comp);
    central.push(cen, nameBuf);
    offset += 30 + nameBuf.length + comp.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

function zlibWithCrc(): { deflateRawSync: (b: Uint8Array) => Buffer; crc32: (b: Uint8Array) => number } {
  const table = new Int32Array(256).map((_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c;
  });
  const crc32 = (b: Uint8Array) => {
    let c = -1;
    for (const x of b) c = table[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ -1) >>> 0;
  };
  return { deflateRawSync: (b) => zlibDeflateRaw(b), crc32 };
}

import { deflateRawSync as zlibDeflateRaw } from 'node:zlib';
