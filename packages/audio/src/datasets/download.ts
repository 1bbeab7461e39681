/**
 * The download path of the datasets: fetch an archive (node's fetch, in a child process so the
 * synchronous constructors can wait for it, as torchaudio's constructors do) and unpack it with
 * `tar`/`unzip`. The archive's SHA-256 is computed while it streams to disk and checked against
 * the dataset's known hash (torchaudio's `hash_prefix` check) before the file takes its final
 * name, so a corrupted or substituted archive is never unpacked. Offline, or when the host
 * refuses, it fails with a message that says where to put the files by hand.
 * @internal
 * @module
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DatasetError } from '../errors.js';

const FETCH = `
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
const [url, dest, expected] = process.argv.slice(1);
try {
  const res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(60000), headers: { 'user-agent': 'flint-audio' } });
  if (!res.ok || !res.body) throw new Error('HTTP ' + res.status + ' ' + res.statusText);
  const file = createWriteStream(dest + '.part');
  const hash = createHash('sha256');
  for await (const chunk of res.body) {
    hash.update(chunk);
    if (!file.write(chunk)) await once(file, 'drain');
  }
  file.end();
  await once(file, 'finish');
  const got = hash.digest('hex');
  if (expected && !got.startsWith(expected.toLowerCase())) throw new Error('checksum mismatch: expected SHA-256 ' + expected + ', got ' + got);
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
  /**
   * SHA-256 (hex, or a prefix of it) the downloaded archive must have. `undefined`: the known hash
   * of `url` from {@link ARCHIVE_SHA256} if there is one; `null`: no check.
   */
  checksum?: string | null | undefined;
}

/**
 * SHA-256 of the official dataset archives, by URL: the values torchaudio 0.13 checks
 * (`_CHECKSUMS` / `_RELEASE_CONFIGS` in `torchaudio/datasets/*.py`).
 *
 * @example
 * ```ts
 * ARCHIVE_SHA256['http://www.openslr.org/resources/1/waves_yesno.tar.gz']; // 'c3f49e0c...'
 * ```
 */
export const ARCHIVE_SHA256: Readonly<Record<string, string>> = {
  'http://www.openslr.org/resources/1/waves_yesno.tar.gz': 'c3f49e0cca421f96b75b41640749167b52118f232498667ca7a5f9416aef8e73',
  'http://download.tensorflow.org/data/speech_commands_v0.01.tar.gz': '743935421bb51cccdb6bdd152e04c5c70274e935c82119ad7faeec31780d811d',
  'http://download.tensorflow.org/data/speech_commands_v0.02.tar.gz': 'af14739ee7dc311471de98f5f9d2c9191b18aedfe957f4a6ff791c709868ff58',
  'http://www.openslr.org/resources/12/dev-clean.tar.gz': '76f87d090650617fca0cac8f88b9416e0ebf80350acb97b343a85fa903728ab3',
  'http://www.openslr.org/resources/12/dev-other.tar.gz': '12661c48e8c3fe1de2c1caa4c3e135193bfb1811584f11f569dd12645aa84365',
  'http://www.openslr.org/resources/12/test-clean.tar.gz': '39fde525e59672dc6d1551919b1478f724438a95aa55f874b576be21967e6c23',
  'http://www.openslr.org/resources/12/test-other.tar.gz': 'd09c181bba5cf717b3dee7d4d592af11a3ee3a09e08ae025c5506f6ebe961c29',
  'http://www.openslr.org/resources/12/train-clean-100.tar.gz': 'd4ddd1d5a6ab303066f14971d768ee43278a5f2a0aa43dc716b0e64ecbbbf6e2',
  'http://www.openslr.org/resources/12/train-clean-360.tar.gz': '146a56496217e96c14334a160df97fffedd6e0a04e66b9c5af0d40be3c792ecf',
  'http://www.openslr.org/resources/12/train-other-500.tar.gz': 'ddb22f27f96ec163645d53215559df6aa36515f26e01dd70798188350adcb6d2',
  'https://datashare.is.ed.ac.uk/bitstream/handle/10283/3443/VCTK-Corpus-0.92.zip': 'f96258be9fdc2cbff6559541aae7ea4f59df3fcaf5cf963aae5ca647357e359c',
  'https://data.keithito.com/data/speech/LJSpeech-1.1.tar.bz2': 'be1a30453f28eb8dd26af4101ae40cbf2c50413b1bb21936cbcdc6fae3de8aa5',
  'http://opihi.cs.uvic.ca/sound/genres.tar.gz': '24347e0223d2ba798e0a558c4c172d9d4a19c00bb7963fe055d183dadb4ef2c6',
};

/** The hash a download is checked against: an explicit one, none (`null`), or the known one of the URL. */
function expectedChecksum(spec: DownloadSpec): string | undefined {
  const c = spec.checksum === undefined ? ARCHIVE_SHA256[spec.url] : spec.checksum;
  if (c === null || c === undefined) return undefined;
  if (typeof c !== 'string' || !/^[0-9a-f]{1,64}$/i.test(c)) throw new DatasetError(`${spec.dataset}(): checksum must be a hex SHA-256 digest (or a prefix of one), or null (got ${JSON.stringify(c)})`);
  return c;
}

/**
 * Downloads an archive (verifying its SHA-256, see {@link DownloadSpec.checksum}) and unpacks it,
 * or throws a DatasetError saying where to place the files. An archive already in `root` is
 * unpacked as is, as torchaudio does.
 *
 * @example
 * ```ts
 * downloadDataset({ dataset: 'YESNO', url: 'http://www.openslr.org/resources/1/waves_yesno.tar.gz', root: 'data', expected: 'data/waves_yesno', layout: '*.wav' });
 * ```
 */
export function downloadDataset(spec: DownloadSpec): void {
  const checksum = expectedChecksum(spec);
  mkdirSync(spec.root, { recursive: true });
  const archive = join(spec.root, basename(new URL(spec.url).pathname));
  const manual = `download it from ${spec.url} and unpack it so that ${spec.expected} holds ${spec.layout}`;
  if (!existsSync(archive)) {
    try {
      execFileSync(process.execPath, ['--input-type=module', '-e', FETCH, spec.url, archive, checksum ?? ''], { stdio: ['ignore', 'ignore', 'pipe'] });
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

/**
 * Throws the "not found" error of a dataset whose files are missing and download is off.
 *
 * @example
 * ```ts
 * notFound({ dataset: 'YESNO', url, expected: 'data/waves_yesno', layout: '*.wav' }); // throws DatasetError
 * ```
 */
export function notFound(spec: Omit<DownloadSpec, 'root'>): never {
  throw new DatasetError(`${spec.dataset}(): dataset not found at ${spec.expected}; pass download: true, or download ${spec.url} and unpack it so that ${spec.expected} holds ${spec.layout}`);
}

/**
 * Runs the download path when the files are missing and `download` is set.
 *
 * @example
 * ```ts
 * ensureDataset(() => existsSync('data/waves_yesno'), true, { dataset: 'YESNO', url, root: 'data', expected: 'data/waves_yesno', layout: '*.wav' });
 * ```
 */
export function ensureDataset(present: () => boolean, download: boolean, spec: DownloadSpec): void {
  if (present()) return;
  if (!download) notFound(spec);
  downloadDataset(spec);
  if (!present()) throw new DatasetError(`${spec.dataset}(): the downloaded archive did not hold ${spec.layout} under ${spec.expected}`);
}
