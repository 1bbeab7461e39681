/**
 * WAV file io (`torchaudio.load`, `torchaudio.save`, `torchaudio.info`) through `wavefile`:
 * PCM 8 (unsigned), 16, 24 and 32-bit, and 32/64-bit float, any number of channels. Files of
 * other formats (FLAC for LibriSpeech and VCTK, OGG...) are read through the `sox` command when
 * it is installed.
 * Normalisation is torchaudio's: integers are divided by 2^(bits-1) (8-bit: `(v - 128) / 128`),
 * so int16 `-32768` reads as exactly `-1`.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { ArgumentError, ShapeError, Tensor, tensor } from '@flint/core';
import wf from 'wavefile';
import { AudioFileError } from '../errors.js';
import { describe } from '../util.js';

const { WaveFile } = wf;
type Wave = InstanceType<typeof WaveFile>;

/** How samples are stored, as torchaudio names it. */
export type AudioEncoding = 'PCM_S' | 'PCM_U' | 'PCM_F';

/** What {@link info} reports (`torchaudio.info`'s `AudioMetaData`). */
export interface AudioMetaData {
  sampleRate: number;
  numFrames: number;
  numChannels: number;
  bitsPerSample: number;
  encoding: AudioEncoding;
}

/** Options of {@link load}. */
export interface LoadOptions {
  /** Frames to skip at the start (default 0). */
  frameOffset?: number;
  /** Frames to read (default -1: to the end). */
  numFrames?: number;
  /** Scale integer samples to [-1, 1] as float32 (default true); false keeps raw int32 values. */
  normalize?: boolean;
  /** `[channels, frames]` (default true) or `[frames, channels]`. */
  channelsFirst?: boolean;
}

/** What {@link load} returns: `torchaudio.load`'s `(waveform, sample_rate)`. */
export interface AudioData {
  waveform: Tensor;
  sampleRate: number;
}

/** Options of {@link save}. */
export interface SaveOptions {
  /** Whether `waveform` is `[channels, frames]` (default true) or `[frames, channels]`. */
  channelsFirst?: boolean;
  /** `'PCM_S'` (signed integers), `'PCM_U'` (8-bit unsigned) or `'PCM_F'` (float). Default: float32 for float input. */
  encoding?: AudioEncoding;
  /** 8, 16, 24 or 32 (64 for float). */
  bitsPerSample?: number;
}

interface Parsed {
  wave: Wave;
  meta: AudioMetaData;
}

function parse(path: string, bytes: Uint8Array): Parsed {
  let wave: Wave;
  try {
    wave = new WaveFile(bytes);
  } catch (e) {
    throw new AudioFileError(`load(): '${path}' is not a WAV file Flint can read: ${(e as Error).message}`);
  }
  const fmt = wave.fmt as { audioFormat: number; numChannels: number; sampleRate: number; bitsPerSample: number; subformat?: number[] };
  const data = wave.data as { chunkSize: number; samples: Uint8Array };
  let format = fmt.audioFormat;
  if (format === 0xfffe) format = fmt.subformat?.[0] ?? 1; // WAVE_FORMAT_EXTENSIBLE: the GUID's first field
  const bits = fmt.bitsPerSample;
  let encoding: AudioEncoding;
  if (format === 1 && [8, 16, 24, 32].includes(bits)) encoding = bits === 8 ? 'PCM_U' : 'PCM_S';
  else if (format === 3 && (bits === 32 || bits === 64)) encoding = 'PCM_F';
  else {
    throw new AudioFileError(`load(): '${path}' uses WAV format ${fmt.audioFormat} with ${bits}-bit samples; Flint reads PCM 8/16/24/32-bit and float 32/64-bit (convert it, e.g. \`sox in.wav -b 16 out.wav\`)`);
  }
  const frameBytes = (bits / 8) * fmt.numChannels;
  if (fmt.numChannels < 1 || frameBytes === 0) throw new AudioFileError(`load(): '${path}' declares ${fmt.numChannels} channels`);
  if (data.samples.length < data.chunkSize) {
    throw new AudioFileError(`load(): '${path}' is truncated: its header promises ${data.chunkSize} bytes of audio but the file holds ${data.samples.length}`);
  }
  const numFrames = Math.floor(data.samples.length / frameBytes);
  return { wave, meta: { sampleRate: fmt.sampleRate, numFrames, numChannels: fmt.numChannels, bitsPerSample: bits, encoding } };
}

const isRiff = (b: Uint8Array): boolean => b.length >= 12 && String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!) === 'RIFF';

/**
 * Other formats (FLAC, OGG, MP3 where sox has the codec) are decoded to WAV by the `sox` command,
 * as torchaudio's sox backend does; without sox they are a clear error.
 */
function viaSox(path: string, bytes: Uint8Array): Uint8Array {
  if (isRiff(bytes)) return bytes;
  const ext = extname(path).toLowerCase();
  if (ext === '.wav' || ext === '' || ext === '.wave') return bytes; // parse() reports what is wrong
  const dir = mkdtempSync(join(tmpdir(), 'flint-audio-'));
  try {
    const out = join(dir, 'decoded.wav');
    execFileSync('sox', [path, '-t', 'wav', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    return readFileSync(out);
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') {
      throw new AudioFileError(`load(): '${path}' is not a WAV file; reading ${ext} files needs the sox command (apt-get install sox), or convert it to WAV`);
    }
    throw new AudioFileError(`load(): '${path}' is not a WAV file Flint can read (sox: ${String(err.stderr ?? err.message).trim()})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readBytes(path: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new AudioFileError(`load(): cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return viaSox(path, bytes);
}

async function readBytesAsync(path: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new AudioFileError(`load(): cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return viaSox(path, bytes);
}

function checkPath(fn: string, path: unknown): asserts path is string {
  if (typeof path !== 'string' || path.length === 0) throw new ArgumentError(`${fn}(): path must be a non-empty string (got ${describe(path)})`);
}

function decode(path: string, bytes: Uint8Array, options: LoadOptions): AudioData {
  const { wave, meta } = parse(path, bytes);
  const offset = options.frameOffset ?? 0;
  const count = options.numFrames ?? -1;
  if (!Number.isInteger(offset) || offset < 0) throw new ArgumentError(`load(): frameOffset must be an integer >= 0 (got ${describe(offset)})`);
  if (!Number.isInteger(count) || (count < 1 && count !== -1)) throw new ArgumentError(`load(): numFrames must be a positive integer or -1 (got ${describe(count)})`);
  const start = Math.min(offset, meta.numFrames);
  const end = count === -1 ? meta.numFrames : Math.min(meta.numFrames, start + count);
  const frames = end - start;
  const channels = meta.numChannels;
  const normalize = options.normalize ?? true;
  const channelsFirst = options.channelsFirst ?? true;
  const raw = wave.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  const rows = channels === 1 && !Array.isArray(raw) ? [raw as Float64Array] : (raw as Float64Array[]);
  const float = meta.encoding === 'PCM_F';
  const asInt = !normalize && !float;
  const out = asInt ? new Int32Array(channels * frames) : new Float32Array(channels * frames);
  const bits = meta.bitsPerSample;
  // torchaudio: u8 -> (v - 128) / 128; s16 -> v / 2^15; s24 is widened to int32 (v << 8) then / 2^31; s32 -> v / 2^31.
  const scale = bits === 8 ? 1 / 128 : 1 / 2 ** (bits - 1);
  const shift = bits === 8 ? 128 : 0;
  for (let c = 0; c < channels; c++) {
    const row = rows[c]!;
    for (let f = 0; f < frames; f++) {
      const v = row[start + f]!;
      const o = channelsFirst ? c * frames + f : f * channels + c;
      if (float) out[o] = v;
      else if (asInt) out[o] = bits === 24 ? v * 256 : v;
      else out[o] = (v - shift) * scale;
    }
  }
  const shape = channelsFirst ? [channels, frames] : [frames, channels];
  const waveform = tensor(out, { dtype: asInt ? 'int32' : 'float32' }).reshape(shape);
  return { waveform, sampleRate: meta.sampleRate };
}

/**
 * Reads a WAV file (`torchaudio.load`): `{ waveform, sampleRate }` with `waveform` of shape
 * `[channels, frames]`, float32 in [-1, 1]. A missing, truncated or non-WAV file is an
 * {@link AudioFileError} naming the file.
 *
 * @example
 * ```ts
 * const { waveform, sampleRate } = await load('speech.wav');
 * const part = await load('speech.wav', { frameOffset: 16000, numFrames: 8000 });
 * ```
 */
export async function load(path: string, options: LoadOptions = {}): Promise<AudioData> {
  checkPath('load', path);
  return decode(path, await readBytesAsync(path), options);
}

/**
 * {@link load}, synchronously (for dataset `getItem`).
 *
 * @example
 * ```ts
 * const { waveform, sampleRate } = loadSync('speech.wav', { normalize: false }); // int32 raw values
 * ```
 */
export function loadSync(path: string, options: LoadOptions = {}): AudioData {
  checkPath('load', path);
  return decode(path, readBytes(path), options);
}

/**
 * The sample rate, length, channels and encoding of a WAV file (`torchaudio.info`), read
 * without converting the samples.
 *
 * @example
 * ```ts
 * const { sampleRate, numFrames } = info('speech.wav');
 * ```
 */
export function info(path: string): AudioMetaData {
  checkPath('info', path);
  return parse(path, readBytes(path)).meta;
}

function encodeWave(waveform: Tensor, sampleRate: number, options: SaveOptions): Uint8Array {
  if (!(waveform instanceof Tensor)) throw new ArgumentError(`save(): waveform must be a Tensor (got ${describe(waveform)})`);
  if (waveform.ndim !== 2) throw new ShapeError(`save(): waveform must be 2-D, [channels, frames] (got shape [${waveform.shape.join(', ')}])`);
  if (!Number.isInteger(sampleRate) || sampleRate < 1) throw new ArgumentError(`save(): sampleRate must be a positive integer (got ${describe(sampleRate)})`);
  const isFloat = waveform.dtype === 'float32';
  let encoding = options.encoding;
  let bits = options.bitsPerSample;
  if (encoding === undefined) encoding = bits === 8 ? 'PCM_U' : bits !== undefined && bits < 32 ? 'PCM_S' : isFloat ? 'PCM_F' : 'PCM_S';
  if (bits === undefined) bits = encoding === 'PCM_U' ? 8 : encoding === 'PCM_F' || !isFloat ? 32 : 32;
  const ok = (encoding === 'PCM_U' && bits === 8) || (encoding === 'PCM_S' && [16, 24, 32].includes(bits)) || (encoding === 'PCM_F' && (bits === 32 || bits === 64));
  if (!ok) {
    throw new ArgumentError(`save(): encoding '${encoding}' with bitsPerSample ${bits} is not a WAV format; use PCM_U with 8, PCM_S with 16/24/32 or PCM_F with 32/64`);
  }
  const channelsFirst = options.channelsFirst ?? true;
  const [channels, frames] = channelsFirst ? waveform.shape : [waveform.shape[1]!, waveform.shape[0]!];
  const src = waveform.dataSync();
  const rows: Float64Array[] = [];
  for (let c = 0; c < channels!; c++) rows.push(new Float64Array(frames!));
  // Float input in [-1, 1] is scaled, rounded and clipped as sox does; int32 input is taken as
  // torchaudio's raw values for the bit depth (int32-widened for 24-bit).
  const max = bits === 8 ? 127 : 2 ** (bits - 1) - 1;
  const full = bits === 8 ? 128 : 2 ** (bits - 1);
  for (let c = 0; c < channels!; c++) {
    for (let f = 0; f < frames!; f++) {
      const v = src[channelsFirst ? c * frames! + f : f * channels! + c]!;
      let s: number;
      if (encoding === 'PCM_F') s = isFloat ? v : v / 2 ** 31;
      else if (isFloat) s = Math.max(-full, Math.min(max, Math.round(v * full)));
      else s = bits === 24 ? Math.round(v / 256) : bits === 8 ? v - 128 : v;
      rows[c]![f] = encoding === 'PCM_U' ? s + 128 : s;
    }
  }
  const wave = new WaveFile();
  const depth = encoding === 'PCM_F' ? (bits === 64 ? '64' : '32f') : String(bits);
  wave.fromScratch(channels!, sampleRate, depth, channels === 1 ? rows[0]! : rows);
  return wave.toBuffer();
}

/**
 * Writes a WAV file (`torchaudio.save`) atomically (a temp file renamed into place). Float input
 * is written as 32-bit float unless `encoding` / `bitsPerSample` say otherwise; integer output
 * scales by 2^(bits-1), rounds and clips as sox does.
 *
 * @example
 * ```ts
 * await save('tone.wav', waveform, 16000, { encoding: 'PCM_S', bitsPerSample: 16 });
 * ```
 */
export async function save(path: string, waveform: Tensor, sampleRate: number, options: SaveOptions = {}): Promise<void> {
  checkPath('save', path);
  const bytes = encodeWave(waveform, sampleRate, options);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

/**
 * {@link save}, synchronously.
 *
 * @example
 * ```ts
 * saveSync('tone.wav', waveform, 16000, { bitsPerSample: 16 });
 * ```
 */
export function saveSync(path: string, waveform: Tensor, sampleRate: number, options: SaveOptions = {}): void {
  checkPath('save', path);
  const bytes = encodeWave(waveform, sampleRate, options);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}
