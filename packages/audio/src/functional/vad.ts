/**
 * Voice activity detection (`torchaudio.functional.vad`, a port of sox's `vad` effect): trims
 * the silence (or quiet noise) before the first speech in a recording.
 * @module
 */
import { fft, tensor, type Tensor } from '@flint/core';
import { checkInt, checkTensor, fromArray } from '../util.js';

/** Options of {@link vad}, sox's parameters (times in seconds, frequencies in Hz). */
export interface VadOptions {
  /** Measurement level that triggers detection (default 7). */
  triggerLevel?: number;
  /** Time constant of the trigger's averaging (default 0.25). */
  triggerTime?: number;
  /** How far back to search for quieter speech before the trigger (default 1). */
  searchTime?: number;
  /** Gap allowed between quieter bursts of speech (default 0.25). */
  allowedGap?: number;
  /** Audio kept before the trigger (default 0). */
  preTriggerTime?: number;
  /** Time to estimate the noise at the start (default 0.35). */
  bootTime?: number;
  noiseUpTime?: number;
  noiseDownTime?: number;
  noiseReductionAmount?: number;
  /** Measurements per second (default 20). */
  measureFreq?: number;
  /** Measurement window (default twice the measurement period). */
  measureDuration?: number | null;
  measureSmoothTime?: number;
  hpFilterFreq?: number;
  lpFilterFreq?: number;
  hpLifterFreq?: number;
  lpLifterFreq?: number;
}

/** `|rfft(x)|` of a buffer (through core's `fft.rfft`). */
function rfftAbs(buf: Float64Array): Float64Array {
  const x = tensor(Float32Array.from(buf));
  const spec = fft.rfft(x);
  const d = spec.dataSync();
  x.dispose();
  spec.dispose();
  const out = new Float64Array(d.length / 2);
  for (let k = 0; k < out.length; k++) out[k] = Math.hypot(d[2 * k]!, d[2 * k + 1]!);
  return out;
}

function hann(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = n === 1 ? 1 : 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

/**
 * Removes the audio before the first detected speech of `[channels, time]` (or `[time]`),
 * keeping `preTriggerTime` seconds and the quieter speech found within `searchTime` before the
 * trigger. Trim the end by reversing (`flip`), running it again and reversing back. Runs on host
 * arrays; not differentiable.
 *
 * @example
 * ```ts
 * const speech = vad(waveform, 16000);
 * ```
 */
export function vad(waveform: Tensor, sampleRate: number, options: VadOptions = {}): Tensor {
  checkTensor('vad', 'waveform', waveform);
  checkInt('vad', 'sampleRate', sampleRate, 1);
  const o = {
    triggerLevel: 7.0, triggerTime: 0.25, searchTime: 1.0, allowedGap: 0.25, preTriggerTime: 0.0, bootTime: 0.35,
    noiseUpTime: 0.1, noiseDownTime: 0.01, noiseReductionAmount: 1.35, measureFreq: 20.0, measureSmoothTime: 0.4,
    hpFilterFreq: 50.0, lpFilterFreq: 6000.0, hpLifterFreq: 150.0, lpLifterFreq: 2000.0,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined && v !== null)),
  } as Required<Omit<VadOptions, 'measureDuration'>> & { measureDuration?: number };
  const measureDuration = o.measureDuration ?? 2.0 / o.measureFreq;
  const measureLen = Math.trunc(sampleRate * measureDuration + 0.5);
  let dftLen = 16;
  while (dftLen < measureLen) dftLen *= 2;
  const measurePeriod = Math.trunc(sampleRate / o.measureFreq + 0.5);
  const measuresLen = Math.ceil(o.searchTime * o.measureFreq);
  const gapLen = Math.trunc(o.allowedGap * o.measureFreq + 0.5);
  const samplesLen = Math.trunc(o.preTriggerTime * sampleRate + 0.5) + measuresLen * measurePeriod + measureLen;
  const specWin = hann(measureLen).map((v) => v * (2 / Math.sqrt(measureLen)));
  const specStart = Math.max(1, Math.trunc((o.hpFilterFreq / sampleRate) * dftLen + 0.5));
  const specEnd = Math.min(Math.trunc((o.lpFilterFreq / sampleRate) * dftLen + 0.5), dftLen >> 1);
  const cepWin = hann(specEnd - specStart).map((v) => v * (2 / Math.sqrt(specEnd - specStart)));
  const cepStart = Math.ceil((sampleRate * 0.5) / o.lpLifterFreq);
  const cepEnd = Math.min(Math.floor((sampleRate * 0.5) / o.hpLifterFreq), dftLen >> 2);
  if (cepEnd <= cepStart) throw new RangeError(`vad(): the lifter range is empty (cepstrum bins ${cepStart} to ${cepEnd}); raise sampleRate or widen hpLifterFreq..lpLifterFreq`);
  const noiseUp = Math.exp(-1 / (o.noiseUpTime * o.measureFreq));
  const noiseDown = Math.exp(-1 / (o.noiseDownTime * o.measureFreq));
  const smoothMult = Math.exp(-1 / (o.measureSmoothTime * o.measureFreq));
  const triggerMult = Math.exp(-1 / (o.triggerTime * o.measureFreq));
  const bootCountMax = Math.trunc(o.bootTime * o.measureFreq - 0.5);

  const shape = waveform.shape;
  const ilen = shape[shape.length - 1]!;
  const data = waveform.float().dataSync();
  const channels = data.length / ilen;
  const meanMeas = new Float64Array(channels);
  const samples = Array.from({ length: channels }, () => new Float64Array(samplesLen));
  const spectrum = Array.from({ length: channels }, () => new Float64Array(dftLen));
  const noise = Array.from({ length: channels }, () => new Float64Array(dftLen));
  const measures = Array.from({ length: channels }, () => new Float64Array(measuresLen));

  const measure = (c: number, indexNs: number, bootCount: number): number => {
    const buf = new Float64Array(dftLen);
    for (let i = 0; i < measureLen; i++) buf[i] = samples[c]![(indexNs + i) % samplesLen]! * specWin[i]!;
    const mag = rfftAbs(buf);
    const mult = bootCount >= 0 ? bootCount / (1 + bootCount) : smoothMult;
    const cep = new Float64Array(dftLen >> 1);
    const sp = spectrum[c]!;
    const ns = noise[c]!;
    for (let k = specStart; k < specEnd; k++) {
      sp[k] = sp[k]! * mult + mag[k]! * (1 - mult);
      const d = sp[k]! ** 2;
      const m = bootCount >= 0 ? 0 : d > ns[k]! ? noiseUp : noiseDown;
      ns[k] = ns[k]! * m + d * (1 - m);
      cep[k] = Math.sqrt(Math.max(0, d - o.noiseReductionAmount * ns[k]!)) * cepWin[k - specStart]!;
    }
    const c2 = rfftAbs(cep);
    let result = 0;
    for (let k = cepStart; k < cepEnd; k++) result += c2[k]! ** 2;
    const r = result > 0 ? Math.log(result / (cepEnd - cepStart)) : -Infinity;
    return Math.max(0, 21 + r);
  };

  let measureTimer = measureLen;
  let bootCount = 0;
  let measuresIndex = 0;
  let flushedLen = 0;
  let samplesIndex = 0;
  let triggered = false;
  let toFlush = 0;
  let pos = 0;
  while (pos < ilen && !triggered) {
    measureTimer--;
    for (let c = 0; c < channels; c++) {
      samples[c]![samplesIndex] = data[c * ilen + pos]!;
      if (measureTimer === 0) {
        const meas = measure(c, (samplesIndex + samplesLen - measureLen) % samplesLen, bootCount);
        measures[c]![measuresIndex] = meas;
        meanMeas[c] = meanMeas[c]! * triggerMult + meas * (1 - triggerMult);
        triggered = triggered || meanMeas[c]! >= o.triggerLevel;
        if (triggered) {
          const n = measuresLen;
          let k = measuresIndex;
          let jTrigger = n;
          let jZero = n;
          let j = 0;
          for (j = 0; j < n; j++) {
            if (measures[c]![k]! >= o.triggerLevel && j <= jTrigger + gapLen) jZero = jTrigger = j;
            else if (measures[c]![k] === 0 && jTrigger >= jZero) jZero = j;
            k = (k + n - 1) % n;
          }
          // Python's loop variable stays at n - 1 after the loop.
          j = Math.min(n - 1, jZero);
          toFlush = Math.min(Math.max(toFlush, j), n);
        }
      }
    }
    samplesIndex++;
    pos++;
    if (samplesIndex === samplesLen) samplesIndex = 0;
    if (measureTimer === 0) {
      measureTimer = measurePeriod;
      measuresIndex = (measuresIndex + 1) % measuresLen;
      if (bootCount >= 0) bootCount = bootCount === bootCountMax ? -1 : bootCount + 1;
    }
    if (triggered) {
      flushedLen = (measuresLen - toFlush) * measurePeriod;
      samplesIndex = (samplesIndex + flushedLen) % samplesLen;
    }
  }
  // A Python slice start: negative counts from the end.
  const s = pos - samplesLen + flushedLen;
  const start = s < 0 ? Math.max(0, ilen + s) : Math.min(s, ilen);
  const out = new Float32Array(channels * (ilen - start));
  for (let c = 0; c < channels; c++) out.set(data.subarray(c * ilen + start, (c + 1) * ilen), c * (ilen - start));
  return fromArray(out, [...shape.slice(0, -1), ilen - start]);
}
