/**
 * The PyTorch side of `bench:more`: spawns `more_torch.py` once and asks it for samples and
 * profiles over stdin/stdout, one JSON line each way, so that PyTorch's samples interleave with
 * Flint's. Also turns its cases into {@link Contender}s.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sleep, type Contender } from './harness.js';

/** What the Python side reports about itself. */
export interface TorchInfo {
  torch: string;
  torchvision: string | null;
  threads: number;
  python: string;
  blas: string;
}

/** A running `more_torch.py`. */
export class TorchChild {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly pending: ((line: string) => void)[] = [];
  private stderr = '';

  constructor(python: string) {
    const script = fileURLToPath(new URL('../../more_torch.py', import.meta.url));
    this.proc = spawn(python, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    createInterface({ input: this.proc.stdout }).on('line', (line) => this.pending.shift()?.(line));
    this.proc.on('exit', (code) => {
      const message = `more_torch.py exited with code ${code}:\n${this.stderr.trim()}`;
      for (const p of this.pending.splice(0)) p(JSON.stringify({ error: message }));
    });
  }

  private ask<T>(msg: object): Promise<T> {
    return new Promise((resolve, reject) => {
      this.pending.push((line) => {
        const r = JSON.parse(line) as T & { error?: string };
        if (r.error !== undefined) reject(new Error(`more_torch.py ${JSON.stringify(msg)}: ${r.error}`));
        else resolve(r);
      });
      this.proc.stdin.write(JSON.stringify(msg) + '\n');
    });
  }

  info(): Promise<TorchInfo> {
    return this.ask<TorchInfo>({ cmd: 'info' });
  }

  /** Sets the folder of the image-pipeline cases (`img-*`). */
  async configure(imageRoot: string): Promise<void> {
    await this.ask<object>({ cmd: 'configure', image_root: imageRoot });
  }

  /** Per-channel means of the first batch of the image folder through Resize(56), no flip (see `image-pipeline.ts`). */
  async imageMeans(): Promise<number[]> {
    return (await this.ask<{ means: number[] }>({ cmd: 'image-means' })).means;
  }

  /** Microseconds per image of each stage of the image pipeline (`STAGES` in `image-pipeline.ts`), 1 thread. */
  async imageStages(): Promise<number[]> {
    return (await this.ask<{ us: number[] }>({ cmd: 'image-stages' })).us;
  }

  /** Mean milliseconds of one iteration of `name` with `threads` threads, over `inner` iterations. */
  async sample(name: string, inner: number, threads: number): Promise<number> {
    return (await this.ask<{ ms: number }>({ cmd: 'sample', case: name, inner, threads })).ms;
  }

  /** torch.profiler's key-averages table over `steps` iterations of `name`, by self CPU time. */
  async profile(name: string, steps: number, rows: number, threads: number): Promise<string> {
    return (await this.ask<{ table: string }>({ cmd: 'profile', case: name, steps, rows, threads })).table;
  }

  /** PyTorch's version of case `name` as a contender called `label`. */
  contender(label: string, name: string, threads = 2): Contender {
    return {
      name: label,
      make: async () => ({
        sample: async (inner) => {
          const ms = await this.sample(name, inner, threads);
          // Let PyTorch's OpenMP workers stop spinning before the next contender starts.
          await sleep(20);
          return ms;
        },
        dispose: () => {},
      }),
    };
  }

  close(): void {
    if (this.proc.exitCode === null) this.proc.stdin.end(JSON.stringify({ cmd: 'quit' }) + '\n');
  }
}
