/**
 * Audio and video summaries: 16-bit PCM WAV through `wavefile` (PyTorch's `add_audio`), and
 * animated GIF through `gifenc` (PyTorch's `add_video`, which needs moviepy there).
 * @module
 */
import * as gifencModule from 'gifenc';
import * as wavefileModule from 'wavefile';
import { ArgumentError, ShapeError } from '../../errors.js';
import type { AudioData, ImageData } from '../../format/event-proto.js';
import type { NdArray } from '../../util/ndarray.js';

// wavefile is CommonJS for Node (`WaveFile` under `default`) and ESM for bundlers.
const WaveFile = (wavefileModule.WaveFile ?? (wavefileModule as unknown as { default: typeof wavefileModule }).default.WaveFile) as typeof wavefileModule.WaveFile;
// gifenc is CommonJS for Node (named exports under `default`) and ESM for bundlers (named exports).
const gifenc = (typeof (gifencModule as { GIFEncoder?: unknown }).GIFEncoder === 'function' ? gifencModule : gifencModule.default) as typeof gifencModule.default;
const { GIFEncoder, quantize, applyPalette } = gifenc;

/**
 * Encodes samples in [-1, 1] as a 16-bit PCM WAV: `[L]` is mono, `[C, L]` has C channels. Values
 * outside [-1, 1] are clipped (PyTorch warns and clips too).
 *
 * @example
 * ```ts
 * const audio = makeAudio('addAudio', toNdArray('addAudio', 'sndTensor', samples), 16000);
 * ```
 */
export function makeAudio(fn: string, nd: NdArray, sampleRate: number): AudioData {
  if (typeof sampleRate !== 'number' || !(sampleRate > 0) || !Number.isFinite(sampleRate)) {
    throw new ArgumentError(`${fn}(): sampleRate must be a positive number of samples per second (got ${sampleRate})`);
  }
  const shape = nd.shape.filter((d) => d !== 1);
  const squeezed = shape.length === 0 ? [nd.data.length] : shape;
  if (squeezed.length > 2) throw new ShapeError(`${fn}(): sndTensor must be [L] (mono) or [C, L] after dropping size-1 dims (got shape [${nd.shape.join(', ')}])`);
  const [channels, length] = squeezed.length === 1 ? [1, squeezed[0]!] : [squeezed[0]!, squeezed[1]!];
  if (length === 0) throw new ShapeError(`${fn}(): sndTensor is empty`);
  const chans: Int16Array[] = [];
  for (let c = 0; c < channels; c++) {
    const out = new Int16Array(length);
    for (let i = 0; i < length; i++) {
      const v = Number(nd.data[c * length + i]);
      out[i] = Math.trunc((v > 1 ? 1 : v < -1 ? -1 : Number.isNaN(v) ? 0 : v) * 32767);
    }
    chans.push(out);
  }
  const wav = new WaveFile();
  wav.fromScratch(channels, Math.round(sampleRate), '16', channels === 1 ? chans[0]! : chans);
  return { sampleRate, numChannels: channels, lengthFrames: length, encoded: wav.toBuffer(), contentType: 'audio/wav' };
}

/**
 * Encodes a video `[N, T, C, H, W]` as an animated GIF, the batch gridded as PyTorch's
 * `_prepare_video` grids it (padded to a power of two, 2^floor(log2(N)/2) rows).
 *
 * @example
 * ```ts
 * const gif = makeVideo('addVideo', toNdArray('addVideo', 'vidTensor', frames), 4);
 * ```
 */
export function makeVideo(fn: string, nd: NdArray, fps: number): ImageData {
  if (nd.shape.length !== 5) throw new ShapeError(`${fn}(): vidTensor must have shape [N, T, C, H, W] (got [${nd.shape.join(', ')}])`);
  if (typeof fps !== 'number' || !(fps > 0)) throw new ArgumentError(`${fn}(): fps must be a positive number (got ${fps})`);
  const [b, t, c, h, w] = nd.shape as [number, number, number, number, number];
  if (c !== 1 && c !== 3 && c !== 4) throw new ShapeError(`${fn}(): vidTensor has ${c} channels (shape [${nd.shape.join(', ')}]); videos need 1, 3 or 4`);
  if (b * t * h * w === 0) throw new ShapeError(`${fn}(): vidTensor is empty (shape [${nd.shape.join(', ')}])`);
  const bitLength = 32 - Math.clz32(b);
  const padded = (b & (b - 1)) === 0 ? b : 2 ** bitLength;
  const nRows = 2 ** Math.floor((bitLength - 1) / 2);
  const nCols = padded / nRows;
  const H = nRows * h;
  const W = nCols * w;
  const isFloat = nd.kind === 'float32' || nd.kind === 'float64' || nd.kind === 'bool';
  const gif = GIFEncoder();
  const delay = 1000 / fps;
  const frame = new Uint8Array(H * W * 4);
  for (let f = 0; f < t; f++) {
    frame.fill(0);
    for (let i = 0; i < b; i++) {
      const oy = Math.floor(i / nCols) * h;
      const ox = (i % nCols) * w;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const o = ((oy + y) * W + ox + x) * 4;
          for (let k = 0; k < 3; k++) {
            const v = Number(nd.data[(((i * t + f) * c + (c === 1 ? 0 : k)) * h + y) * w + x]);
            const s = isFloat ? v * 255 : v;
            frame[o + k] = !(s > 0) ? 0 : s >= 255 ? 255 : Math.trunc(s);
          }
          frame[o + 3] = 255;
        }
      }
    }
    for (let p = 3; p < frame.length; p += 4) frame[p] = 255;
    const palette = quantize(frame, 256);
    gif.writeFrame(applyPalette(frame, palette), W, H, { palette, delay });
  }
  gif.finish();
  return { height: H, width: W, colorspace: c, encoded: gif.bytes() };
}
