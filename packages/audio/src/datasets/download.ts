/**
 * The download path of the datasets: fetch an archive (node's fetch, in a child process so the
 * synchronous constructors can wait for it, as torchaudio's constructors do) and unpack it with
 * `tar`/`unzip`. Offline, or when the host refuses, it fails with a message that says where to
 * put the files by hand.
 * @internal
 * @module
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DatasetError } from '../errors.js';

const FETCH = `
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
const [url, dest] = process.argv.slice(1);
try {
  const res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(60000), headers: { 'user-agent': 'flint-audio' } });
  if (!res.ok || !res.body) throw new Error('HTTP ' + res.status + ' ' + res.statusText);
  const file = createWriteStream(dest + '.part');
  for await (const chunk of res.body) if (!file.write(chunk)) await once(file, 'drain');
  file.end();
  await once(file, 'finish');
  renameSync(dest + '.part', dest);
} catch (e) {
  try { rmSync(dest + '.part', { force: true }); } catch {}
  const cause = e && e.cause ? (e.cause.code || e.cause.message) : '';
  process.stderr.write(String(e && e.message ? e.message : e) + (cause ? ' (' + cause + ')' : ''));
  process.exit(1);
}
`;

/** What a dataset tells {@link downloadDataset}. */
export interface DownloadSpec {
  /** The dataset class, for messages. */
  dataset: string;
  url: string;
  /** Where the archive is saved and unpacked. */
  root: string;
  /** Where the unpacked files must end up, for the message. */
  expected: string;
  /** The layout, for the message (`'waves_yesno/*.wav'`). */
  layout: string;
}

/** Downloads and unpacks an archive, or throws a DatasetError saying where to place the files. */
export function downloadDataset(spec: DownloadSpec): void {
  mkdirSync(spec.root, { recursive: true });
  const archive = join(spec.root, basename(new URL(spec.url).pathname));
  const manual = `download it from ${spec.url} and unpack it so that ${spec.expected} holds ${spec.layout}`;
  if (!existsSync(archive)) {
    try {
      execFileSync(process.execPath, ['--input-type=module', '-e', FETCH, spec.url, archive], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      const why = String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).trim();
      throw new DatasetError(`${spec.dataset}(): download failed (${why}); ${manual}`);
    }
  }
  try {
    if (archive.endsWith('.zip')) execFileSync('unzip', ['-q', '-o', archive, '-d', spec.root], { stdio: ['ignore', 'ignore', 'pipe'] });
    else execFileSync('tar', ['-xf', archive, '-C', spec.root], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    rmSync(archive, { force: true });
    throw new DatasetError(`${spec.dataset}(): could not unpack ${archive} (${String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).trim()}); ${manual}`);
  }
}

/** Throws the "not found" error of a dataset whose files are missing and download is off. */
export function notFound(spec: Omit<DownloadSpec, 'root'>): never {
  throw new DatasetError(`${spec.dataset}(): dataset not found at ${spec.expected}; pass download: true, or download ${spec.url} and unpack it so that ${spec.expected} holds ${spec.layout}`);
}

/** Runs the download path when the files are missing and `download` is set. */
export function ensureDataset(present: () => boolean, download: boolean, spec: DownloadSpec): void {
  if (present()) return;
  if (!download) notFound(spec);
  downloadDataset(spec);
  if (!present()) throw new DatasetError(`${spec.dataset}(): the downloaded archive did not hold ${spec.layout} under ${spec.expected}`);
}
