/**
 * Fetching and unpacking dataset files: `downloadUrl` (node's fetch, to a temporary file then
 * renamed, after its MD5 or SHA-256 is checked when one is known, as torchtext checks it) and
 * `extractArchive` (.gz, .tar, .tar.gz/.tgz and .zip with node:zlib only). Offline,
 * `ensureFiles` fails with one message naming every missing file and where to put it.
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { DatasetError } from '../errors.js';

/** The hash a downloaded file must have (torchtext's `hash_dict` with its `hash_type`). */
export interface FileHash {
  algorithm: 'md5' | 'sha256';
  /** Hex digest. */
  digest: string;
}

/** Options of {@link downloadUrl}. */
export interface DownloadUrlOptions {
  /** Checked before the file takes its final name; a mismatch deletes it and throws. */
  hash?: FileHash;
}

/**
 * Downloads `url` to `dest` (through `dest.part`, renamed when complete and, with `hash`, verified).
 *
 * @example
 * ```ts
 * await downloadUrl('https://example.com/data.csv', 'data/data.csv', { hash: { algorithm: 'md5', digest: 'b1a00f826fdfbd249f79597b59e1dc12' } });
 * ```
 */
export async function downloadUrl(url: string, dest: string, options: DownloadUrlOptions = {}): Promise<void> {
  const { hash } = options;
  if (hash !== undefined && (!['md5', 'sha256'].includes(hash.algorithm) || typeof hash.digest !== 'string' || !/^[0-9a-f]+$/i.test(hash.digest))) {
    throw new DatasetError(`downloadUrl(): options.hash must be { algorithm: 'md5' | 'sha256', digest: <hex> } (got ${JSON.stringify(hash)})`);
  }
  mkdirSync(dirname(dest), { recursive: true });
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow', headers: { 'user-agent': 'flint-text' } });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new DatasetError(`downloadUrl(): cannot fetch ${url} (${cause?.code ?? cause?.message ?? (e as Error).message})`);
  }
  if (!res.ok) throw new DatasetError(`downloadUrl(): fetching ${url} failed: HTTP ${res.status} ${res.statusText}`);
  const part = `${dest}.part`;
  const body = new Uint8Array(await res.arrayBuffer());
  if (hash !== undefined) {
    const got = createHash(hash.algorithm).update(body).digest('hex');
    if (got !== hash.digest.toLowerCase()) {
      rmSync(part, { force: true });
      throw new DatasetError(`downloadUrl(): ${url} has ${hash.algorithm.toUpperCase()} ${got}, expected ${hash.digest} (a corrupted or changed file); nothing was saved`);
    }
  }
  writeFileSync(part, body);
  renameSync(part, dest);
}

function safeJoin(root: string, name: string): string {
  const out = resolve(root, name);
  if (out !== resolve(root) && !out.startsWith(resolve(root) + sep)) throw new DatasetError(`extractArchive(): entry ${name} would be written outside ${root}`);
  return out;
}

function untar(buf: Uint8Array, to: string): void {
  let off = 0;
  let longName: string | null = null;
  while (off + 512 <= buf.length) {
    const header = buf.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const str = (a: number, n: number): string => new TextDecoder().decode(header.subarray(a, a + n)).replace(/\0.*$/s, '');
    const size = parseInt(str(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156]!);
    const prefix = str(345, 155);
    let name = longName ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
    longName = null;
    const body = buf.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = new TextDecoder().decode(body).replace(/\0.*$/s, '');
      continue;
    }
    if (type === '5') mkdirSync(safeJoin(to, name), { recursive: true });
    else if (type === '0' || type === '\0') {
      name = safeJoin(to, name);
      mkdirSync(dirname(name), { recursive: true });
      writeFileSync(name, body);
    }
  }
}

function unzip(buf: Buffer, to: string): void {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new DatasetError('extractArchive(): not a zip file (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10);
    const compSize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataStart, dataStart + compSize);
    const dest = safeJoin(to, name);
    if (name.endsWith('/')) {
      mkdirSync(dest, { recursive: true });
      continue;
    }
    mkdirSync(dirname(dest), { recursive: true });
    if (method === 0) writeFileSync(dest, raw);
    else if (method === 8) writeFileSync(dest, inflateRawSync(raw));
    else throw new DatasetError(`extractArchive(): ${name} uses zip method ${method}; only stored and deflate are supported`);
  }
}

/**
 * Unpacks `archive` into `to` by its extension: `.tar.gz`/`.tgz`, `.tar`, `.zip`, or `.gz`
 * (one file, the name without `.gz`).
 *
 * @example
 * ```ts
 * extractArchive('data/IMDB/aclImdb_v1.tar.gz', 'data/IMDB');
 * ```
 */
export function extractArchive(archive: string, to: string): void {
  if (!/\.(tar\.gz|tgz|tar|zip|gz)$/.test(archive)) {
    throw new DatasetError(`extractArchive(): unknown archive type for ${archive} (expected .tar.gz, .tgz, .tar, .zip or .gz)`);
  }
  let buf: Buffer;
  try {
    buf = readFileSync(archive);
  } catch (e) {
    throw new DatasetError(`extractArchive(): cannot read ${archive} (${(e as Error).message})`);
  }
  if (/\.(tar\.gz|tgz)$/.test(archive)) untar(gunzipSync(buf), to);
  else if (archive.endsWith('.tar')) untar(buf, to);
  else if (archive.endsWith('.zip')) unzip(buf, to);
  else writeFileSync(join(to, archive.replace(/^.*[\\/]/, '').replace(/\.gz$/, '')), gunzipSync(buf));
}

/** Where a dataset's files come from. */
export interface Resource {
  /** The URL to fetch. */
  url: string;
  /** The downloaded file's name in the dataset folder. */
  file: string;
  /** Unpack it into the dataset folder after downloading. */
  extract?: boolean;
  /** The hash torchtext checks for this file; a download that does not match is refused. */
  hash?: FileHash;
}

/**
 * Makes sure `files` (relative to `folder`) exist: with `download`, fetches and unpacks the
 * resources first; if files are still missing, throws a {@link DatasetError} that names each one,
 * the folder, and the URLs to fetch them from by hand.
 *
 * @example
 * ```ts
 * await ensureFiles('AG_NEWS', 'data/AG_NEWS', ['test.csv'], [{ url, file: 'test.csv', hash: { algorithm: 'md5', digest } }], true);
 * ```
 */
export async function ensureFiles(name: string, folder: string, files: readonly string[], resources: readonly Resource[], download: boolean): Promise<void> {
  const missing = () => files.filter((f) => !existsSync(join(folder, f)));
  if (missing().length === 0) return;
  let failure = '';
  if (download) {
    try {
      for (const r of resources) {
        const dest = join(folder, r.file);
        if (!existsSync(dest)) await downloadUrl(r.url, dest, r.hash === undefined ? {} : { hash: r.hash });
        if (r.extract) extractArchive(dest, folder);
      }
    } catch (e) {
      failure = ` Downloading failed: ${(e as Error).message}.`;
    }
    if (missing().length === 0) return;
  }
  const urls = resources.map((r) => `${r.url}${r.extract ? ` (unpack into ${folder})` : ` (save as ${join(folder, r.file)})`}`).join('; ');
  throw new DatasetError(
    `${name}: missing ${missing().map((f) => join(folder, f)).join(', ')}.${failure} ` +
      `${download ? '' : 'Pass { download: true } to fetch them, or '}place the files there by hand; they come from ${urls}`,
  );
}
