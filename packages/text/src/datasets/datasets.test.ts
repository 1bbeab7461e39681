import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { ArgumentError, data } from '@flint/core';
import { getTokenizer } from '../tokenizers/get-tokenizer.js';
import { DatasetError } from '../errors.js';
import { downloadUrl, ensureFiles, extractArchive } from './download.js';
import { parseCsv } from './csv.js';
import { SpamAssassin } from './spam-assassin.js';
import { TabularDataset } from './tabular-dataset.js';
import { AG_NEWS, CoNLL2000Chunking, IMDB, Multi30k, PennTreebank, SQuAD1, SQuAD2, SST2, TREC, UDPOS, WikiText103, WikiText2 } from './text-datasets.js';

let root: string;
const put = (path: string, text: string): void => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'flint-text-datasets-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('parseCsv', () => {
  it('reads quoted fields with delimiters, newlines and doubled quotes', () => {
    expect(parseCsv('a,"b, c"\r\n1,"say ""hi""\nthere"\n')).toEqual([['a', 'b, c'], ['1', 'say "hi"\nthere']]);
    expect(parseCsv('x\ty\n', '\t')).toEqual([['x', 'y']]);
    expect(parseCsv('a,,\n')).toEqual([['a', '', '']]);
  });
});

describe('dataset readers on files in the real formats', () => {
  it('AG_NEWS', async () => {
    put('AG_NEWS/test.csv', '"3","Wall St. Bears Claw Back","Reuters - Short-sellers, Wall Street\'s dwindling band"\n"4","Title","Body ""quoted"""\n');
    const ds = await AG_NEWS({ root, split: 'test' });
    expect(ds.len()).toBe(2);
    expect(ds.getItem(0)).toEqual([3, "Wall St. Bears Claw Back Reuters - Short-sellers, Wall Street's dwindling band"]);
    expect(ds.getItem(1)).toEqual([4, 'Title Body "quoted"']);
  });

  it('IMDB', async () => {
    put('IMDB/aclImdb/test/neg/0_2.txt', 'Terrible.<br /><br />Avoid.');
    put('IMDB/aclImdb/test/pos/1_9.txt', 'Loved it');
    put('IMDB/aclImdb/test/pos/urls_pos.lst', 'not a review');
    const ds = await IMDB({ root, split: 'test' });
    expect([...ds]).toEqual([[1, 'Terrible.<br /><br />Avoid.'], [2, 'Loved it']]);
  });

  it('SST2', async () => {
    put('SST2/SST-2/dev.tsv', 'sentence\tlabel\nit \'s a charming journey . \t1\nunflinchingly bleak \t0\n');
    put('SST2/SST-2/test.tsv', 'index\tsentence\n0\tuneasy mishmash\n');
    expect([...(await SST2({ root, split: 'dev' }))]).toEqual([["it 's a charming journey . ", 1], ['unflinchingly bleak ', 0]]);
    expect([...(await SST2({ root, split: 'test' }))]).toEqual([['uneasy mishmash']]);
  });

  it('TREC', async () => {
    put('TREC/TREC_10.label', 'NUM:dist How far is it from Denver to Aspen ?\nDESC:manner How did serfdom develop in and then leave Russia ?\n');
    const ds = await TREC({ root, split: 'test' });
    expect(ds.getItem(1)).toEqual(['How did serfdom develop in and then leave Russia ?', 'DESC', 'DESC:manner']);
  });

  it('WikiText2, WikiText103 and PennTreebank', async () => {
    put('WikiText2/wikitext-2/wiki.valid.tokens', ' \n = Homarus gammarus = \n \n Homarus gammarus , known as the European lobster \n');
    expect([...(await WikiText2({ root, split: 'valid' }))]).toEqual([' ', ' = Homarus gammarus = ', ' ', ' Homarus gammarus , known as the European lobster ']);
    put('WikiText103/wikitext-103/wiki.test.tokens', ' a \n');
    expect((await WikiText103({ root, split: 'test' })).len()).toBe(1);
    put('PennTreebank/ptb.valid.txt', ' consumers may want to move <unk> \n the N stock \n');
    expect([...(await PennTreebank({ root, split: 'valid' }))]).toEqual(['consumers may want to move <unk>', 'the N stock']);
  });

  it('Multi30k', async () => {
    put('Multi30k/val.de', 'Eine Gruppe von Männern.\nZwei Hunde.\n');
    put('Multi30k/val.en', 'A group of men.\nTwo dogs.\n');
    expect([...(await Multi30k({ root, split: 'valid', languagePair: ['en', 'de'] }))]).toEqual([['A group of men.', 'Eine Gruppe von Männern.'], ['Two dogs.', 'Zwei Hunde.']]);
    await expect(Multi30k({ root, languagePair: ['de', 'de'] as never })).rejects.toThrow(ArgumentError);
  });

  it('UDPOS and CoNLL2000Chunking', async () => {
    put('UDPOS/en-ud-v2/en-ud-tag.v2.dev.txt', 'From\tADP\tIN\nthe\tDET\tDT\n\nHi\tINTJ\tUH\n');
    expect([...(await UDPOS({ root, split: 'valid' }))]).toEqual([[['From', 'the'], ['ADP', 'DET'], ['IN', 'DT']], [['Hi'], ['INTJ'], ['UH']]]);
    put('CoNLL2000Chunking/test.txt', 'Rockwell NNP B-NP\nsaid VBD B-VP\n\n. . O\n\n');
    expect([...(await CoNLL2000Chunking({ root, split: 'test' }))]).toEqual([[['Rockwell', 'said'], ['NNP', 'VBD'], ['B-NP', 'B-VP']], [['.'], ['.'], ['O']]]);
  });

  it('SQuAD1 and SQuAD2', async () => {
    const doc = (answers: { text: string; answer_start: number }[]) => JSON.stringify({ version: 'v', data: [{ title: 'T', paragraphs: [{ context: 'Normandy is in France.', qas: [{ id: '1', question: 'Where is Normandy?', answers }] }] }] });
    put('SQuAD1/dev-v1.1.json', doc([{ text: 'France', answer_start: 15 }]));
    put('SQuAD2/dev-v2.0.json', doc([]));
    expect((await SQuAD1({ root, split: 'dev' })).getItem(0)).toEqual(['Normandy is in France.', 'Where is Normandy?', ['France'], [15]]);
    expect((await SQuAD2({ root, split: 'dev' })).getItem(0)).toEqual(['Normandy is in France.', 'Where is Normandy?', [], []]);
  });

  it('name the missing files, the folder and the URL when the data is not there', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'flint-text-empty-'));
    try {
      await expect(AG_NEWS({ root: empty, split: 'train' })).rejects.toThrow(DatasetError);
      await expect(AG_NEWS({ root: empty, split: 'train' })).rejects.toThrow(
        /AG_NEWS: missing .*AG_NEWS\/train\.csv\. Pass \{ download: true \} to fetch them, or place the files there by hand; they come from https:\/\/raw\.githubusercontent\.com\/.*train\.csv/,
      );
      await expect(IMDB({ root: empty, split: 'valid' as never })).rejects.toThrow(/IMDB\(\): split must be one of 'train', 'test' \(got "valid"\)/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('downloading', () => {
  let server: Server;
  let base: string;
  let files: Record<string, Buffer>;
  beforeAll(async () => {
    const src = mkdtempSync(join(tmpdir(), 'flint-text-src-'));
    mkdirSync(join(src, 'pack', 'inner'), { recursive: true });
    writeFileSync(join(src, 'pack', 'inner', 'a.txt'), 'hello from tar');
    execFileSync('tar', ['-czf', join(src, 'pack.tar.gz'), '-C', src, 'pack']);
    files = { '/pack.tar.gz': readFileSync(join(src, 'pack.tar.gz')), '/plain.csv': Buffer.from('"1","x","y"\n'), '/data.zip': zipOf('z/b.txt', 'hello from zip') };
    rmSync(src, { recursive: true, force: true });
    server = createServer((req, res) => {
      const body = files[req.url ?? ''];
      if (body === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200).end(body);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const addr = server.address() as { port: number };
    base = `http://127.0.0.1:${addr.port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it('fetches and unpacks .tar.gz and .zip archives and plain files', async () => {
    const folder = join(root, 'dl');
    await ensureFiles('T', folder, ['pack/inner/a.txt', 'z/b.txt', 'plain.csv'], [
      { url: `${base}/pack.tar.gz`, file: 'pack.tar.gz', extract: true },
      { url: `${base}/data.zip`, file: 'data.zip', extract: true },
      { url: `${base}/plain.csv`, file: 'plain.csv' },
    ], true);
    expect(readFileSync(join(folder, 'pack', 'inner', 'a.txt'), 'utf8')).toBe('hello from tar');
    expect(readFileSync(join(folder, 'z', 'b.txt'), 'utf8')).toBe('hello from zip');
    expect(readFileSync(join(folder, 'plain.csv'), 'utf8')).toBe('"1","x","y"\n');
  });

  it('says what failed and what to place where when a download fails', async () => {
    await expect(ensureFiles('T', join(root, 'dl404'), ['missing.csv'], [{ url: `${base}/missing.csv`, file: 'missing.csv' }], true)).rejects.toThrow(
      /T: missing .*dl404\/missing\.csv\. Downloading failed: downloadUrl\(\): fetching http:\/\/127\.0\.0\.1:\d+\/missing\.csv failed: HTTP 404/,
    );
    expect(() => extractArchive(join(root, 'x.rar'), root)).toThrow(DatasetError);
  });

  it('checks the MD5 or SHA-256 of a download before keeping it, as torchtext does', async () => {
    const md5 = createHash('md5').update(files['/plain.csv']!).digest('hex');
    const sha = createHash('sha256').update(files['/pack.tar.gz']!).digest('hex');
    const ok = join(root, 'dl-hash');
    await ensureFiles('T', ok, ['plain.csv', 'pack/inner/a.txt'], [
      { url: `${base}/plain.csv`, file: 'plain.csv', hash: { algorithm: 'md5', digest: md5 } },
      { url: `${base}/pack.tar.gz`, file: 'pack.tar.gz', extract: true, hash: { algorithm: 'sha256', digest: sha.toUpperCase() } },
    ], true);
    expect(readFileSync(join(ok, 'pack', 'inner', 'a.txt'), 'utf8')).toBe('hello from tar');

    const bad = join(root, 'dl-badhash');
    const wrong = md5.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    await expect(ensureFiles('T', bad, ['plain.csv'], [{ url: `${base}/plain.csv`, file: 'plain.csv', hash: { algorithm: 'md5', digest: wrong } }], true)).rejects.toThrow(
      new RegExp(`T: missing .*dl-badhash/plain\\.csv\\. Downloading failed: downloadUrl\\(\\): ${base}/plain\\.csv has MD5 ${md5}, expected ${wrong} \\(a corrupted or changed file\\); nothing was saved`),
    );
    expect([existsSync(join(bad, 'plain.csv')), existsSync(join(bad, 'plain.csv.part'))]).toEqual([false, false]);
    await expect(downloadUrl(`${base}/plain.csv`, join(bad, 'x.csv'), { hash: { algorithm: 'sha1' as 'md5', digest: md5 } })).rejects.toThrow(
      /downloadUrl\(\): options\.hash must be \{ algorithm: 'md5' \| 'sha256', digest: <hex> \} \(got \{"algorithm":"sha1"/,
    );
  });
});

/** A one-entry deflate zip (CRC left 0: the reader does not check it). */
function zipOf(name: string, text: string): Buffer {
  const raw = Buffer.from(text);
  const comp = deflateRawSync(raw);
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(comp.length, 18);
  local.writeUInt32LE(raw.length, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(comp.length, 20);
  central.writeUInt32LE(raw.length, 24);
  central.writeUInt16LE(n.length, 28);
  central.writeUInt32LE(0, 42);
  const cdOffset = local.length + n.length + comp.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + n.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, n, comp, central, n, end]);
}

describe('TabularDataset', () => {
  it('reads TSV, CSV and JSON lines with named, preprocessed fields, and splits', () => {
    const tokenizer = getTokenizer('basic_english');
    put('tab/train.tsv', 'text\tlabel\nHow did serfdom develop?\tDESC\nWhat is it?\tDEF\n');
    put('tab/test.tsv', 'text\tlabel\nWho?\tHUM\n');
    const fields = [{ name: 'text', preprocess: tokenizer }, { name: 'label' }];
    const [train, valid, test] = TabularDataset.splits(join(root, 'tab'), { train: 'train.tsv', test: 'test.tsv', format: 'tsv', skipHeader: true, fields });
    expect(valid).toBeUndefined();
    expect(train!.len()).toBe(2);
    expect(train!.getItem(0)).toEqual({ text: ['how', 'did', 'serfdom', 'develop', '?'], label: 'DESC' });
    expect(test!.getItem(0)).toEqual({ text: ['who', '?'], label: 'HUM' });
    put('tab/a.csv', '1,"x, y",skip\n');
    expect(new TabularDataset(join(root, 'tab/a.csv'), { format: 'csv', fields: [{ name: 'n', preprocess: Number }, { name: 's' }, null] }).getItem(0)).toEqual({ n: 1, s: 'x, y' });
    put('tab/a.jsonl', '{"q": "Why?", "a": 2}\n\n{"q": "How?", "a": 3}\n');
    const js = new TabularDataset(join(root, 'tab/a.jsonl'), { format: 'json', fields: { q: { name: 'question' }, a: { name: 'answer' } } });
    expect([js.getItem(0), js.getItem(1)]).toEqual([{ question: 'Why?', answer: 2 }, { question: 'How?', answer: 3 }]);
    expect(() => new TabularDataset(join(root, 'tab/a.csv'), { format: 'xml' as never, fields: [] })).toThrow(/TabularDataset\(\): format must be 'csv', 'tsv' or 'json' \(got "xml"\)/);
    expect(() => new TabularDataset(join(root, 'tab/a.csv'), { format: 'csv', fields: [null, null, null, { name: 'x' }] })).toThrow(/row 1 of .*a\.csv has 3 columns, fewer than the 4 fields/);
  });

  it('feeds a DataLoader', async () => {
    put('tab/nums.csv', '1,a\n2,b\n3,c\n');
    const ds = new TabularDataset(join(root, 'tab/nums.csv'), { format: 'csv', fields: [{ name: 'n', preprocess: Number }, { name: 's' }] });
    const loader = new data.DataLoader(ds, { batchSize: 2, collateFn: (xs: Record<string, unknown>[]) => xs.map((x) => x.s) });
    const out: unknown[] = [];
    for await (const b of loader) out.push(b);
    expect(out).toEqual([['a', 'b'], ['c']]);
  });
});

describe('SpamAssassin', () => {
  it('labels ham 0 and spam 1, from the real corpus', () => {
    const ds = SpamAssassin({ groups: ['easy-ham-1', 'spam-2'], limit: 10 });
    expect(ds.len()).toBe(10);
    const labels = [...ds].map(([, l]) => l);
    expect(labels).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(ds.getItem(0)[0]).toMatch(/^From exmh-workers-admin@redhat\.com/);
    expect(SpamAssassin({ groups: ['hard-ham-1'] }).len()).toBe(250);
    expect(() => SpamAssassin({ groups: ['ham'] as never })).toThrow(/SpamAssassin\(\): groups may hold 'easy-ham-1'/);
  });
});
