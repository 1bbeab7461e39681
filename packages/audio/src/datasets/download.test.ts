import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as flint from '@flint/core';
import { saveSync } from '../io/wav.js';
import { ARCHIVE_SHA256, downloadDataset } from './download.js';
import { YESNO } from './yesno.js';

const root = mkdtempSync(join(tmpdir(), 'flint-audio-dl-'));
const served = join(root, 'served');
let server: ChildProcess;
let base = '';
let sha = '';

// The dataset constructors wait for the download synchronously, so the server runs in its own
// process (a server in this process could not answer while the constructor waits).
const SERVER = `
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
const dir = process.argv[1];
const server = createServer(async (req, res) => {
  try {
    const body = await readFile(join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    res.writeHead(200, { 'content-length': body.length });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

beforeAll(async () => {
  // A small archive in YESNO's real layout, its SHA-256 known.
  const src = join(root, 'src');
  for (const [name, tag] of [['0_1_0_0_1_0_1_1', 0.25], ['1_1_1_0_0_0_1_0', -0.5]] as const) {
    mkdirSync(join(src, 'waves_yesno'), { recursive: true });
    saveSync(join(src, 'waves_yesno', `${name}.wav`), flint.tensor([[tag, 0, 0.1, -0.1]]), 8000, { bitsPerSample: 16 });
  }
  mkdirSync(served, { recursive: true });
  execFileSync('tar', ['-czf', join(served, 'waves_yesno.tar.gz'), '-C', src, 'waves_yesno']);
  sha = createHash('sha256').update(readFileSync(join(served, 'waves_yesno.tar.gz'))).digest('hex');
  server = spawn(process.execPath, ['--input-type=module', '-e', SERVER, served], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((ok, fail) => {
    server.stdout!.once('data', (d: Buffer) => ok(d.toString().trim()));
    server.once('exit', (code) => fail(new Error(`test server exited (${code})`)));
  });
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => {
  server?.kill();
  rmSync(root, { recursive: true, force: true });
});

describe('dataset downloads verify the archive SHA-256', () => {
  it('downloads, verifies and unpacks an archive whose hash matches (full digest or a prefix)', () => {
    const r = join(root, 'ok');
    const ds = new YESNO(r, { download: true, url: `${base}/waves_yesno.tar.gz`, checksum: sha });
    expect(ds.len()).toBe(2);
    const [w, sr, labels] = ds.getItem(0);
    expect([w.dataSync()[0], sr, labels]).toEqual([0.25, 8000, [0, 1, 0, 0, 1, 0, 1, 1]]);
    expect(createHash('sha256').update(readFileSync(join(r, 'waves_yesno.tar.gz'))).digest('hex')).toBe(sha);
    const p = join(root, 'prefix');
    expect(new YESNO(p, { download: true, url: `${base}/waves_yesno.tar.gz`, checksum: sha.slice(0, 12).toUpperCase() }).len()).toBe(2);
  });

  it('a mismatch deletes the download, unpacks nothing and names both hashes', () => {
    const r = join(root, 'bad');
    const wrong = sha.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    let err: unknown;
    try {
      new YESNO(r, { download: true, url: `${base}/waves_yesno.tar.gz`, checksum: wrong });
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toMatch(new RegExp(`^YESNO\\(\\): download failed \\(checksum mismatch: expected SHA-256 ${wrong}, got ${sha}\\); download it from ${base}/waves_yesno\\.tar\\.gz and unpack it so that .*bad/waves_yesno holds`));
    expect([existsSync(join(r, 'waves_yesno.tar.gz')), existsSync(join(r, 'waves_yesno.tar.gz.part')), existsSync(join(r, 'waves_yesno'))]).toEqual([false, false, false]);
  });

  it("the official URLs are checked against torchaudio's hashes by default; null skips the check", () => {
    const golden = JSON.parse(readFileSync(new URL('../../fixtures/audio_checksums.json', import.meta.url), 'utf8')) as { sha256: Record<string, string> };
    expect(ARCHIVE_SHA256).toEqual(golden.sha256);
    // An archive fetched from a URL with no known hash is checked only when a hash is given.
    const r = join(root, 'nocheck');
    expect(new YESNO(r, { download: true, url: `${base}/waves_yesno.tar.gz`, checksum: null }).len()).toBe(2);
    const u = join(root, 'unknown-url');
    expect(new YESNO(u, { download: true, url: `${base}/waves_yesno.tar.gz` }).len()).toBe(2);
  });

  it('rejects a checksum that is not hex', () => {
    expect(() => downloadDataset({ dataset: 'YESNO', url: `${base}/waves_yesno.tar.gz`, root: join(root, 'x'), expected: 'x', layout: 'y', checksum: 'sha256:abc' })).toThrow(
      /YESNO\(\): checksum must be a hex SHA-256 digest \(or a prefix of one\), or null \(got "sha256:abc"\)/,
    );
  });
});
