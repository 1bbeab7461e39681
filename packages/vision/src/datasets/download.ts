/**
 * Downloading and unpacking dataset files (`torchvision.datasets.utils`): `downloadUrl` fetches
 * with node's fetch, `checkIntegrity` compares an md5 (node:crypto), `extractArchive` unpacks
 * .gz (node:zlib), .tar, .tar.gz/.tgz and .zip without other dependencies.
 *
 * Dataset constructors are synchronous, as in torchvision, so `download: true` fetches in a
 * child node process that the constructor waits for; {@link downloadUrl} is the same code,
 * asynchronous, for your own use.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { ArgumentError } from '@flint/core';
import { DatasetError } from '../errors.js';

/**
 * md5 of a file's bytes, hex (`torchvision.datasets.utils.calculate_md5`).
 *
 * @example
 * ```ts
 * calculateMd5('data/FashionMNIST/raw/train-images-idx3-ubyte.gz'); // '8d4fb7e6c68d591d4c3dfef9ec88bf0d'
 * ```
 */
export function calculateMd5(path: string): string {
  return createHash('md5').update(readFileSync(path)).digest('hex');
}

/**
 * Whether `path` exists and, when `md5` is given, has that md5 (`check_integrity`).
 *
 * @example
 * ```ts
 * checkIntegrity('data/MNIST/raw/train-images-idx3-ubyte.gz', 'f68b3c2dcbeaaa9fbdd348bbdeb94873');
 * ```
 */
export function checkIntegrity(path: string, md5?: string): boolean {
  if (!existsSync(path) || !statSync(path).isFile()) return false;
  return md5 === undefined || calculateMd5(path) === md5;
}

/** The fetch code both paths share: plain JS, run in a child process by the sync path. */
const FETCH_SCRIPT = `
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
const [url, dest, idleMs] = process.argv.slice(1);
const ac = new AbortController();
let timer;
const arm = () => { clearTimeout(timer); timer = setTimeout(() => ac.abort(new Error('no data for ' + idleMs + ' ms')), Number(idleMs)); };
try {
  arm();
  const res = await fetch(url, { signal: ac.signal, redirect: 'follow', headers: { 'user-agent': 'flint-vision' } });
  if (!res.ok || !res.body) throw new Error('HTTP ' + res.status + ' ' + res.statusText);
  const part = dest + '.part';
  const file = createWriteStream(part);
  for await (const chunk of res.body) { arm(); if (!file.write(chunk)) await once(file, 'drain'); }
  file.end();
  await once(file, 'finish');
  clearTimeout(timer);
  renameSync(part, dest);
} catch (e) {
  clearTimeout(timer);
  try { rmSync(dest + '.part', { force: true }); } catch {}
  const cause = e && e.cause ? (e.cause.code || e.cause.message) : '';
  process.stderr.write(String(e && e.message ? e.message : e) + (cause ? ' (' + cause + ')' : ''));
  process.exit(3);
}
`;

/** Options of the download functions. */
export interface DownloadUrlOptions {
  /** Expected md5 of the file; a mismatch deletes the file and throws. */
  md5?: string;
  /** Give up when no data arrives for this long (default 30 s). */
  idleTimeoutMs?: number;
}

function verify(path: string, url: string, md5: string | undefined): void {
  if (md5 === undefined) return;
  const got = calculateMd5(path);
  if (got !== md5) {
    rmSync(path, { force: true });
    throw new DatasetError(`downloaded ${url} to ${path}, but its md5 is ${got}, expected ${md5}; the file was removed`);
  }
}

/**
 * Downloads `url` to `path` synchronously (a child node process runs the fetch) and checks the
 * md5. Used by dataset constructors with `download: true`. @internal
 */
export function downloadUrlSync(url: string, path: string, options: DownloadUrlOptions = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  try {
    execFileSync(process.execPath, ['--input-type=module', '-e', FETCH_SCRIPT, url, path, String(options.idleTimeoutMs ?? 30_000)], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: process.env,
    });
  } catch (e) {
    const stderr = String((e as { stderr?: Buffer }).stderr ?? '').trim();
    throw new DatasetError(`cannot download ${url}: ${stderr || (e as Error).message}`);
  }
  verify(path, url, options.md5);
}

/**
 * Downloads `url` to `path` with node's fetch and checks the md5 (`download_url`).
 *
 * @example
 * ```ts
 * await downloadUrl('https://example.org/data.tar.gz', 'data/data.tar.gz', { md5: '...' });
 * ```
 */
export async function downloadUrl(url: string, path: string, options: DownloadUrlOptions = {}): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const idle = options.idleTimeoutMs ?? 30_000;
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => ac.abort(new Error(`no data for ${idle} ms`)), idle);
  };
  const part = `${path}.part`;
  try {
    arm();
    const res = await fetch(url, { signal: ac.signal, redirect: 'follow', headers: { 'user-agent': 'flint-vision' } });
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    const file = createWriteStream(part);
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      arm();
      if (!file.write(chunk)) await once(file, 'drain');
    }
    file.end();
    await once(file, 'finish');
    renameSync(part, path);
  } catch (e) {
    rmSync(part, { force: true });
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new DatasetError(`cannot download ${url}: ${(e as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`);
  } finally {
    clearTimeout(timer);
  }
  verify(path, url, options.md5);
}

function safeJoin(root: string, name: string): string {
  const out = resolve(root, name);
  if (out !== resolve(root) && !out.startsWith(resolve(root) + sep)) {
    throw new DatasetError(`extractArchive(): entry ${JSON.stringify(name)} would be written outside ${root}; refusing`);
  }
  return out;
}

function untar(bytes: Uint8Array, to: string, source: string): string[] {
  const written: string[] = [];
  let off = 0;
  let longName: string | null = null;
  const text = (a: number, n: number) => {
    const s = Buffer.from(bytes.subarray(a, a + n)).toString('utf8');
    const z = s.indexOf('\0');
    return z < 0 ? s : s.slice(0, z);
  };
  while (off + 512 <= bytes.length) {
    if (bytes.subarray(off, off + 512).every((b) => b === 0)) break;
    let name = text(off, 100);
    const size = parseInt(text(off + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(bytes[off + 156]!);
    const prefix = text(off + 345, 155);
    if (Number.isNaN(size)) throw new DatasetError(`extractArchive(): ${source} is not a valid tar archive (bad size field at byte ${off})`);
    if (prefix && text(off + 257, 5) === 'ustar') name = `${prefix}/${name}`;
    if (longName !== null) {
      name = longName;
      longName = null;
    }
    const data = off + 512;
    if (data + size > bytes.length) throw new DatasetError(`extractArchive(): ${source} is truncated (entry ${name} needs ${size} bytes)`);
    if (type === 'L') longName = text(data, size);
    else if (type === '5') mkdirSync(safeJoin(to, name), { recursive: true });
    else if (type === '0' || type === '\0' || type === '7') {
      const dest = safeJoin(to, name);
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(dest, bytes.subarray(data, data + size));
      written.push(dest);
    }
    off = data + Math.ceil(size / 512) * 512;
  }
  return written;
}

function unzip(bytes: Uint8Array, to: string, source: string): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new DatasetError(`extractArchive(): ${source} is not a valid zip archive (no end of central directory)`);
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const written: string[] = [];
  for (let k = 0; k < count; k++) {
    if (view.getUint32(p, true) !== 0x02014b50) throw new DatasetError(`extractArchive(): ${source} has a corrupt central directory`);
    const method = view.getUint16(p + 10, true);
    const csize = view.getUint32(p + 20, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    const name = Buffer.from(bytes.subarray(p + 46, p + 46 + nameLen)).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (name.endsWith('/')) {
      mkdirSync(safeJoin(to, name), { recursive: true });
      continue;
    }
    const raw = bytes.subarray(dataStart, dataStart + csize);
    let data: Uint8Array;
    if (method === 0) data = raw;
    else if (method === 8) data = inflateRawSync(raw);
    else throw new DatasetError(`extractArchive(): ${source} entry ${name} uses compression method ${method}; only stored and deflate are supported`);
    const dest = safeJoin(to, name);
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, data);
    written.push(dest);
  }
  return written;
}

/**
 * Unpacks `from` into the folder `to` (default: beside it) and returns the files written
 * (`extract_archive`): `.gz` (one file), `.tar`, `.tar.gz`/`.tgz`, `.zip`. `removeFinished`
 * deletes the archive afterwards.
 *
 * @example
 * ```ts
 * extractArchive('data/cifar-10-binary.tar.gz', 'data');
 * ```
 */
export function extractArchive(from: string, to: string = dirname(from), removeFinished = false): string[] {
  if (typeof from !== 'string' || !existsSync(from)) throw new ArgumentError(`extractArchive(): no archive at ${JSON.stringify(from)}`);
  let bytes: Uint8Array = readFileSync(from);
  const name = basename(from).toLowerCase();
  let written: string[];
  try {
    if (name.endsWith('.tar.gz') || name.endsWith('.tgz')) written = untar(gunzipSync(bytes), to, from);
    else if (name.endsWith('.tar')) written = untar(bytes, to, from);
    else if (name.endsWith('.zip')) written = unzip(bytes, to, from);
    else if (name.endsWith('.gz')) {
      bytes = gunzipSync(bytes);
      const dest = join(to, basename(from).slice(0, -3));
      mkdirSync(to, { recursive: true });
      writeFileSync(dest, bytes);
      written = [dest];
    } else throw new DatasetError(`extractArchive(): cannot extract ${from}: supported are .gz, .tar, .tar.gz, .tgz, .zip`);
  } catch (e) {
    if (DatasetError.isInstance(e)) throw e;
    throw new DatasetError(`extractArchive(): cannot extract ${from}: ${(e as Error).message}`);
  }
  if (removeFinished) rmSync(from, { force: true });
  return written;
}

/** One file a dataset downloads: its name and md5. @internal */
export interface Resource {
  filename: string;
  md5?: string;
}

/**
 * Downloads each resource from the first mirror that works into `folder`, verifies its md5 and
 * extracts it (`download_and_extract_archive` over mirrors). Throws a {@link DatasetError} that
 * names every file to place by hand, and where, when no mirror answers. @internal
 */
export function downloadResources(
  dataset: string,
  folder: string,
  resources: readonly Resource[],
  mirrors: readonly string[],
  options: { extract?: boolean; extractTo?: string; placeHint?: string } = {},
): void {
  if (!Array.isArray(mirrors) || mirrors.length === 0 || mirrors.some((m) => typeof m !== 'string')) {
    throw new ArgumentError(`${dataset}(): mirrors must be a non-empty array of base URLs (got ${JSON.stringify(mirrors)})`);
  }
  mkdirSync(folder, { recursive: true });
  for (const r of resources) {
    const dest = join(folder, r.filename);
    if (!checkIntegrity(dest, r.md5)) {
      const errors: string[] = [];
      let ok = false;
      for (const mirror of mirrors) {
        const url = mirror.endsWith('/') ? mirror + r.filename : `${mirror}/${r.filename}`;
        try {
          downloadUrlSync(url, dest, { md5: r.md5 });
          ok = true;
          break;
        } catch (e) {
          errors.push((e as Error).message);
        }
      }
      if (!ok) {
        const list = resources.map((x) => `  ${join(folder, x.filename)}${x.md5 ? ` (md5 ${x.md5})` : ''}`).join('\n');
        throw new DatasetError(
          `${dataset}: could not download ${r.filename}:\n  ${errors.join('\n  ')}\n` +
            `Without network access, place these files yourself:\n${list}\n${options.placeHint ?? ''}`.trimEnd(),
        );
      }
    }
    if (options.extract !== false) extractArchive(dest, options.extractTo ?? folder);
  }
}
