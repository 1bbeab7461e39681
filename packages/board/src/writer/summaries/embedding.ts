/**
 * Projector files of PyTorch's `add_embedding`: `<logdir>/<step, 5 digits>/<tag, escaped>/` with
 * tensors.tsv, metadata.tsv and sprite.png, and `<logdir>/projector_config.pbtxt` listing every
 * embedding (kept across writers: entries already in the file are read back first).
 * @module
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShapeError, ArgumentError, describe } from '../../errors.js';
import { type ProjectorEmbedding, formatProjectorConfig, parseProjectorConfig } from '../../format/projector-config.js';
import type { NdArray } from '../../util/ndarray.js';
import { encodePng, toRawImage } from './image.js';

/** Escapes a tag for a directory name as PyTorch does: `%` to `%25`, `/` to `%2f`. */
export function encodeTag(tag: string): string {
  return tag.replace(/%/g, '%25').replace(/\//g, '%2f');
}

/** Checks `mat` [N, D] and the metadata; returns the tensors.tsv text. */
export function tensorsTsv(fn: string, mat: NdArray): string {
  if (mat.shape.length !== 2) throw new ShapeError(`${fn}(): mat must be 2-D [N, D], one row per point (got shape [${mat.shape.join(', ')}])`);
  const [n, d] = mat.shape as [number, number];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const row: string[] = [];
    for (let j = 0; j < d; j++) row.push(String(Number(mat.data[i * d + j])));
    lines.push(`${row.join('\t')}\n`);
  }
  return lines.join('');
}

/** metadata.tsv: one label per line, or a header row and tab-joined columns. */
export function metadataTsv(fn: string, n: number, metadata: readonly unknown[], header?: readonly string[]): string {
  if (!Array.isArray(metadata)) throw new ArgumentError(`${fn}(): metadata must be an array of labels (got ${describe(metadata)})`);
  if (metadata.length !== n) throw new ShapeError(`${fn}(): metadata must have one label per point (${n} points, got ${metadata.length} labels)`);
  const clean = (v: unknown) => String(v).replace(/[\t\n\r]/g, ' ');
  if (!header) return metadata.map((m) => `${clean(m)}\n`).join('');
  if (!Array.isArray(header)) throw new ArgumentError(`${fn}(): metadataHeader must be an array of column names (got ${describe(header)})`);
  const rows = metadata.map((row, i) => {
    if (!Array.isArray(row) || row.length !== header.length) {
      throw new ShapeError(`${fn}(): with metadataHeader of ${header.length} columns, metadata[${i}] must be an array of ${header.length} values (got ${describe(row)})`);
    }
    return row.map(clean).join('\t');
  });
  return [header.map(clean).join('\t'), ...rows].map((l) => `${l}\n`).join('');
}

/** Options of {@link writeEmbedding}. */
export interface EmbeddingFiles {
  metadata?: readonly unknown[];
  metadataHeader?: readonly string[];
  labelImg?: NdArray;
  globalStep: number;
  tag: string;
}

/**
 * Writes the projector files of one embedding and rewrites `projector_config.pbtxt`. Arguments
 * are checked before it returns (errors are thrown, not rejected); the sprite is encoded
 * asynchronously and the config written last, so it never names a missing file.
 *
 * @example
 * ```ts
 * await writeEmbedding('addEmbedding', 'runs/exp', mat, { globalStep: 0, tag: 'default' });
 * ```
 */
export function writeEmbedding(fn: string, logdir: string, mat: NdArray, o: EmbeddingFiles): Promise<void> {
  const tensors = tensorsTsv(fn, mat);
  const n = mat.shape[0]!;
  const meta = o.metadata !== undefined ? metadataTsv(fn, n, o.metadata, o.metadataHeader) : undefined;
  let sprite: Promise<Uint8Array> | undefined;
  let dims: [number, number] | undefined;
  if (o.labelImg) {
    const li = o.labelImg;
    if (li.shape.length !== 4) throw new ShapeError(`${fn}(): labelImg must be [N, C, H, W] (got shape [${li.shape.join(', ')}])`);
    if (li.shape[0] !== n) throw new ShapeError(`${fn}(): labelImg must have one image per point (${n} points, got ${li.shape[0]} images)`);
    const nrow = Math.ceil(Math.sqrt(n));
    const grid = toRawImage(fn, 'labelImg', li, 'NCHW', nrow);
    const [h, w] = [li.shape[2]!, li.shape[3]!];
    // A square sprite of nrow x nrow cells, as the projector expects.
    const side = { height: h * nrow, width: w * nrow };
    const square = new Uint8Array(side.height * side.width * grid.channels);
    square.set(grid.data.subarray(0, Math.min(grid.data.length, square.length)));
    sprite = encodePng({ data: square, ...side, channels: grid.channels });
    dims = [w, h];
  }
  const step = String(o.globalStep).padStart(5, '0');
  const subdir = `${step}/${encodeTag(o.tag)}`;
  const dir = join(logdir, subdir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tensors.tsv'), tensors);
  if (meta !== undefined) writeFileSync(join(dir, 'metadata.tsv'), meta);
  return (sprite ?? Promise.resolve(undefined)).then((png) => {
    if (png) writeFileSync(join(dir, 'sprite.png'), png);
    writeConfig(logdir, subdir, step, o.tag, meta !== undefined, dims);
  });
}

/** Adds (or replaces) one entry of `projector_config.pbtxt`, written to a temporary file and renamed. */
function writeConfig(logdir: string, subdir: string, step: string, tag: string, hasMeta: boolean, dims: [number, number] | undefined): void {
  const entry: ProjectorEmbedding = {
    tensorName: `${tag}:${step}`,
    tensorPath: `${subdir}/tensors.tsv`,
    ...(hasMeta ? { metadataPath: `${subdir}/metadata.tsv` } : {}),
    ...(dims ? { sprite: { imagePath: `${subdir}/sprite.png`, singleImageDim: dims } } : {}),
  };
  const configPath = join(logdir, 'projector_config.pbtxt');
  let existing: ProjectorEmbedding[] = [];
  if (existsSync(configPath)) {
    try {
      existing = parseProjectorConfig(readFileSync(configPath, 'utf8')).embeddings;
    } catch {
      existing = []; // an unreadable config is replaced, as PyTorch replaces it every time
    }
  }
  const embeddings = [...existing.filter((e) => e.tensorName !== entry.tensorName), entry];
  const tmp = `${configPath}.tmp-${process.pid}`;
  writeFileSync(tmp, formatProjectorConfig({ embeddings }));
  renameSync(tmp, configPath);
}
