/**
 * `pnpm --filter @flint/bench audio`: MelSpectrogram and Resample throughput of @flint/audio
 * beside torchaudio 0.13 (`audio_bench.py`), on the same audio: real 16 kHz speech from Debian's
 * pocketsphinx-testdata, concatenated into one clip. Both sides must agree on the output shape
 * and (within float32 tolerance) on its sum, or the run stops. One run, rounds interleaved in a
 * shuffled order, medians after a warm-up round; throughput in seconds of audio per second
 * (x real time); writes RESULTS-audio.md.
 *
 *   pnpm --filter @flint/bench audio
 *   pnpm --filter @flint/bench audio --rounds 5 --backend cpu --out /tmp/audio.md
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as flint from '@flint/core';
// The bench package does not list @flint/audio; its public entry point is imported by path.
import { loadSync, saveSync, transforms } from '@flint/audio';

const CASES = ['melspectrogram', 'resample_16k_8k', 'resample_16k_44k1'] as const;
type Case = (typeof CASES)[number];
const SPEECH = '/usr/share/pocketsphinx/test/data';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    seconds: { type: 'string', default: '20' },
    backend: { type: 'string', default: 'wasm' },
    python: { type: 'string', default: '/usr/bin/python3' },
    out: { type: 'string', default: fileURLToPath(new URL('../../RESULTS-audio.md', import.meta.url)) },
  },
});
const rounds = Number(args.rounds);
const seconds = Number(args.seconds);

/** The Python child: one JSON line each way. */
class PythonSide {
  private readonly proc = spawn(args.python, [fileURLToPath(new URL('../../audio_bench.py', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
  private readonly pending: ((line: string) => void)[] = [];
  constructor() {
    createInterface({ input: this.proc.stdout }).on('line', (l) => this.pending.shift()?.(l));
  }
  ask<T>(msg: object): Promise<T> {
    return new Promise((resolve) => {
      this.pending.push((l) => resolve(JSON.parse(l) as T));
      this.proc.stdin.write(JSON.stringify(msg) + '\n');
    });
  }
  close(): void {
    this.proc.stdin.end();
  }
}

/** Real speech: the pocketsphinx-testdata 16 kHz recordings, concatenated to `seconds` s. */
function buildClip(dir: string): string {
  const files = ['cards', 'librivox'].flatMap((d) =>
    readdirSync(join(SPEECH, d))
      .filter((f) => f.endsWith('.wav'))
      .sort()
      .map((f) => join(SPEECH, d, f)),
  );
  const want = seconds * 16000;
  const buf = new Float32Array(want);
  let at = 0;
  for (let k = 0; at < want; k++) {
    const { waveform, sampleRate } = loadSync(files[k % files.length]!);
    if (sampleRate !== 16000) throw new Error(`${files[k % files.length]} is not 16 kHz`);
    const d = waveform.dataSync();
    buf.set(d.subarray(0, Math.min(d.length, want - at)), at);
    at += d.length;
    waveform.dispose();
  }
  const path = join(dir, 'speech.wav');
  const t = flint.tensor(buf).reshape([1, want]);
  saveSync(path, t, 16000, { bitsPerSample: 16 });
  t.dispose();
  return path;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

await flint.setBackend(args.backend as 'wasm' | 'cpu');
const dir = mkdtempSync(join(os.tmpdir(), 'flint-audio-bench-'));
const py = new PythonSide();
try {
  const path = buildClip(dir);
  const { waveform, sampleRate } = loadSync(path);
  const pyLoad = await py.ask<{ frames: number; sampleRate: number }>({ cmd: 'load', path });
  if (pyLoad.frames !== waveform.shape[1] || pyLoad.sampleRate !== sampleRate) throw new Error(`the two sides read different audio: ${JSON.stringify(pyLoad)}`);
  const info = await py.ask<{ torch: string; torchaudio: string; threads: number }>({ cmd: 'info' });
  const modules: Record<Case, flint.nn.Module> = {
    melspectrogram: new transforms.MelSpectrogram({ sampleRate, nFft: 400, hopLength: 160, nMels: 80 }),
    resample_16k_8k: new transforms.Resample(16000, 8000),
    resample_16k_44k1: new transforms.Resample(16000, 44100),
  };
  const flintSample = (c: Case, reps: number): { s: number; shape: number[]; sum: number; absSum: number } => {
    let shape: number[] = [];
    let sum = 0;
    let absSum = 0;
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) {
      flint.noGrad(() =>
        flint.scope(() => {
          const y = modules[c](waveform);
          const d = y.dataSync(); // forces the result, as torch's eager call does
          if (r === reps - 1) {
            shape = y.shape;
            sum = 0;
            absSum = 0;
            for (const v of d) {
              sum += v;
              absSum += Math.abs(v);
            }
          }
        }),
      );
    }
    const s = (performance.now() - t0) / 1000;
    return { s, shape, sum, absSum };
  };
  const times: Record<'flint' | 'torch', Record<Case, number[]>> = { flint: {} as Record<Case, number[]>, torch: {} as Record<Case, number[]> };
  for (const c of CASES) {
    times.flint[c] = [];
    times.torch[c] = [];
  }
  const checks: string[] = [];
  // Warm-up round (also the agreement check), then shuffled interleaved rounds.
  for (const c of CASES) {
    const a = flintSample(c, 1);
    const b = await py.ask<{ s: number; shape: number[]; sum: number; absSum: number }>({ cmd: 'sample', case: c, reps: 1 });
    if (JSON.stringify(a.shape) !== JSON.stringify(b.shape)) throw new Error(`${c}: shapes differ: flint [${a.shape}] torch [${b.shape}]`);
    const rel = Math.abs(a.sum - b.sum) / Math.max(1e-12, b.absSum);
    if (rel > 1e-4) throw new Error(`${c}: outputs differ: sum ${a.sum} vs ${b.sum} (relative to the absolute sum: ${rel})`);
    checks.push(`${c}: shape [${a.shape.join(', ')}], sum ${a.sum.toPrecision(8)} vs torch ${b.sum.toPrecision(8)} (difference / sum |y| = ${rel.toExponential(1)})`);
  }
  const order: [Case, 'flint' | 'torch'][] = CASES.flatMap((c) => [
    [c, 'flint'],
    [c, 'torch'],
  ]);
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let r = 0; r < rounds; r++) {
    const shuffled = [...order].sort(() => rand() - 0.5);
    for (const [c, side] of shuffled) {
      if (side === 'flint') times.flint[c].push(flintSample(c, 1).s);
      else times.torch[c].push((await py.ask<{ s: number }>({ cmd: 'sample', case: c, reps: 1 })).s);
    }
  }
  const audioSeconds = waveform.shape[1]! / sampleRate;
  const rows = CASES.map((c) => {
    const f = median(times.flint[c]);
    const t = median(times.torch[c]);
    return `| ${c} | ${(f * 1000).toFixed(1)} | ${(t * 1000).toFixed(1)} | ${(audioSeconds / f).toFixed(0)}x | ${(audioSeconds / t).toFixed(0)}x | ${(f / t).toFixed(2)} |`;
  });
  const report = [
    '# Audio: @flint/audio beside torchaudio',
    '',
    `One run of \`pnpm --filter @flint/bench audio\` on ${new Date().toISOString().slice(0, 10)}: ${audioSeconds.toFixed(1)} s of real 16 kHz speech`,
    `(pocketsphinx-testdata, mono), ${rounds} interleaved rounds in a shuffled order after a warm-up, medians.`,
    `Flint backend \`${flint.backend()}\` (FFT on host arrays), Node ${process.version}; torch ${info.torch}, torchaudio ${info.torchaudio}, ${info.threads} thread(s); ${os.cpus().length} CPU cores (${os.cpus()[0]?.model ?? 'unknown'}).`,
    `Load average during the run: ${os.loadavg().map((v) => v.toFixed(1)).join(', ')} (1, 5, 15 min), on a machine shared with other work: single timings vary by 2x or more, the interleaving keeps both sides under the same conditions.`,
    'Throughput is seconds of audio processed per second (x real time); the ratio is Flint time / torch time (above 1: Flint is slower).',
    '',
    '| case | flint ms | torch ms | flint throughput | torch throughput | flint / torch |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    'Cases: `MelSpectrogram(sampleRate 16000, nFft 400, hopLength 160, nMels 80)`; `Resample(16000, 8000)` and `Resample(16000, 44100)` (sinc_interp_hann, lowpass width 6, rolloff 0.99).',
    '',
    'Where Flint\'s time goes: `MelSpectrogram` is reflect padding, framing by slices and one concatenation, the',
    'window product, core\'s `fft.rfft` (a mixed-radix FFT in JavaScript on host arrays: the frames are copied out of',
    'the backend and the spectrum back in), the power and a matmul with the filter banks; the FFT and the framing copies',
    'are most of it. `Resample` is one strided `conv1d` of the kernel on the backend (tfjs\'s wasm conv2d).',
    '',
    'Agreement checked before timing:',
    '',
    ...checks.map((l) => `- ${l}`),
    '',
  ].join('\n');
  writeFileSync(args.out, report);
  console.log(report);
} finally {
  py.close();
  rmSync(dir, { recursive: true, force: true });
}
