/**
 * The download path against a real HTTP server on 127.0.0.1 (in a worker thread): files are
 * fetched from the mirrors given, md5-verified, and unpacked (.gz, .tar.gz, .zip); a wrong md5
 * and an unreachable host give errors that say which files to place where.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idxBytes, md5, serveDirectory, tarBytes, zipBytes } from '../../test/dataset-files.js';
import { CIFAR10 as RealCIFAR10 } from './cifar.js';
import { downloadUrl, extractArchive } from './download.js';
import { EMNIST as RealEMNIST, FashionMNIST as RealFashionMNIST } from './mnist.js';

const served = mkdtempSync(join(tmpdir(), 'flint-vision-served-'));
const work = mkdtempSync(join(tmpdir(), 'flint-vision-dl-'));
let server: Awaited<ReturnType<typeof serveDirectory>>;

const N = 4;
const files: Record<string, Buffer> = {
  'train-images-idx3-ubyte.gz': gzipSync(idxBytes('uint8', [N, 28, 28], Uint8Array.from({ length: N * 784 }, (_, i) => i % 251))),
  'train-labels-idx1-ubyte.gz': gzipSync(idxBytes('uint8', [N], [9, 0, 0, 3])),
  't10k-images-idx3-ubyte.gz': gzipSync(idxBytes('uint8', [2, 28, 28], new Uint8Array(2 * 784).fill(1))),
  't10k-labels-idx1-ubyte.gz': gzipSync(idxBytes('uint8', [2], [1, 2])),
};

/** FashionMNIST with the md5s of the files this test serves (the real class checks the real ones). */
class FashionMNIST extends RealFashionMNIST {
  static override resources = Object.entries(files).map(([filename, b]) => ({ filename, md5: md5(b) }));
}

beforeAll(async () => {
  mkdirSync(join(served, 'fmnist'), { recursive: true });
  for (const [name, b] of Object.entries(files)) writeFileSync(join(served, 'fmnist', name), b);
  server = await serveDirectory(served);
});
afterAll(async () => {
  await server.close();
  rmSync(served, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('download: true', () => {
  it('fetches every file from the mirror, verifies md5, gunzips into root/<Class>/raw', async () => {
    const root = join(work, 'ok');
    const ds = new FashionMNIST(root, { download: true, mirrors: [`${server.url}fmnist/`] });
    expect(ds.len()).toBe(N);
    expect(Array.from(ds.targets)).toEqual([9, 0, 0, 3]);
    for (const name of Object.keys(files)) {
      expect(existsSync(join(root, 'FashionMNIST', 'raw', name))).toBe(true);
      expect(existsSync(join(root, 'FashionMNIST', 'raw', name.replace(/\.gz$/, '')))).toBe(true);
    }
    expect((await server.requests()).filter((r) => r.startsWith('/fmnist/')).sort()).toEqual(Object.keys(files).map((f) => `/fmnist/${f}`).sort());
    // A second construction finds the files and downloads nothing.
    const before = (await server.requests()).length;
    expect(new FashionMNIST(root, { download: true, mirrors: [`${server.url}fmnist/`], train: false }).len()).toBe(2);
    expect((await server.requests()).length).toBe(before);
  });

  it('moves on to the next mirror when one fails', () => {
    const ds = new FashionMNIST(join(work, 'fallback'), { download: true, mirrors: [`${server.url}missing/`, `${server.url}fmnist/`] });
    expect(ds.len()).toBe(N);
  });

  it('a file whose md5 does not match is removed and reported', () => {
    const root = join(work, 'md5');
    let err: Error | undefined;
    try {
      new RealFashionMNIST(root, { download: true, mirrors: [`${server.url}fmnist/`] });
    } catch (e) {
      err = e as Error;
    }
    expect(err?.name).toBe('DatasetError');
    expect(err?.message).toMatch(/FashionMNIST: could not download train-images-idx3-ubyte\.gz:/);
    expect(err?.message).toMatch(/its md5 is [0-9a-f]{32}, expected 8d4fb7e6c68d591d4c3dfef9ec88bf0d; the file was removed/);
    expect(existsSync(join(root, 'FashionMNIST', 'raw', 'train-images-idx3-ubyte.gz'))).toBe(false);
  });

  it('an unreachable host names every file to place and where', async () => {
    const root = join(work, 'offline');
    // A port that was free a moment ago: nothing listens there, connections are refused.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    let msg = '';
    try {
      new RealFashionMNIST(root, { download: true, mirrors: [`http://127.0.0.1:${port}/`] });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/FashionMNIST: could not download train-images-idx3-ubyte\.gz:\n  cannot download http:\/\/127\.0\.0\.1:\d+\/train-images-idx3-ubyte\.gz: fetch failed \(ECONNREFUSED\)/);
    expect(msg).toContain('Without network access, place these files yourself:');
    for (const f of ['train-images-idx3-ubyte.gz (md5 8d4fb7e6c68d591d4c3dfef9ec88bf0d)', 't10k-labels-idx1-ubyte.gz (md5 bb300cfdad3c16e7a12a480ee83cd310)']) {
      expect(msg).toContain(join(root, 'FashionMNIST', 'raw', f));
    }
  });

  it('CIFAR10 downloads the binary tar.gz and unpacks it into root', () => {
    const record = (k: number) => Buffer.from([k, ...new Array(3072).fill(k * 10)]);
    const entries: Record<string, Uint8Array> = { 'cifar-10-batches-bin/batches.meta.txt': Buffer.from('a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n') };
    for (let b = 1; b <= 5; b++) entries[`cifar-10-batches-bin/data_batch_${b}.bin`] = record(b);
    entries['cifar-10-batches-bin/test_batch.bin'] = record(7);
    const tgz = gzipSync(tarBytes(entries));
    mkdirSync(join(served, 'cifar'), { recursive: true });
    writeFileSync(join(served, 'cifar', 'cifar-10-binary.tar.gz'), tgz);
    class CIFAR10 extends RealCIFAR10 {
      static override resource = { filename: 'cifar-10-binary.tar.gz', md5: md5(tgz) };
    }
    const root = join(work, 'cifar');
    const ds = new CIFAR10(root, { download: true, mirrors: [`${server.url}cifar/`] });
    expect(Array.from(ds.targets)).toEqual([1, 2, 3, 4, 5]);
    expect(ds.classes[1]).toBe('b');
    expect(ds.getItem(2)[0].getPixel(0, 0)).toEqual([30, 30, 30]);
  });

  it('EMNIST downloads gzip.zip, unzips it and gunzips the split files', () => {
    const imgs = gzipSync(idxBytes('uint8', [3, 28, 28], new Uint8Array(3 * 784).fill(5)));
    const labs = gzipSync(idxBytes('uint8', [3], [1, 2, 26]));
    const zip = zipBytes({ 'gzip/emnist-letters-train-images-idx3-ubyte.gz': imgs, 'gzip/emnist-letters-train-labels-idx1-ubyte.gz': labs });
    mkdirSync(join(served, 'emnist'), { recursive: true });
    writeFileSync(join(served, 'emnist', 'gzip.zip'), zip);
    class EMNIST extends RealEMNIST {
      static override resources = [{ filename: 'gzip.zip', md5: md5(zip) }];
    }
    const ds = new EMNIST(join(work, 'emnist'), 'letters', { download: true, mirrors: [`${server.url}emnist/`] });
    expect(Array.from(ds.targets)).toEqual([1, 2, 26]);
    expect(ds.classes[26]).toBe('z');
  });

  it('downloadUrl (async) fetches and checks md5; extractArchive refuses paths outside the target', async () => {
    const dest = join(work, 'async', 'x.gz');
    await downloadUrl(`${server.url}fmnist/t10k-labels-idx1-ubyte.gz`, dest, { md5: md5(files['t10k-labels-idx1-ubyte.gz']!) });
    expect(readFileSync(dest)).toEqual(files['t10k-labels-idx1-ubyte.gz']);
    await expect(downloadUrl(`${server.url}nothing-here`, join(work, 'async', 'y'))).rejects.toThrow(/cannot download http:\/\/127\.0\.0\.1:\d+\/nothing-here: HTTP 404 Not Found/);
    const evil = join(work, 'evil.tar');
    writeFileSync(evil, tarBytes({ '../escape.txt': Buffer.from('x') }));
    expect(() => extractArchive(evil, join(work, 'evil'))).toThrow(/would be written outside .*evil; refusing/);
  });
});
