/**
 * The PyTorch side: spawns `torch_bench.py` once and asks it for samples over stdin/stdout, one
 * JSON line each way, so that PyTorch's samples interleave with Flint's.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** What the Python side reports about itself. */
export interface TorchInfo {
  torch: string;
  threads: number;
  python: string;
  blas: string;
}

/** A running `torch_bench.py`. */
export class TorchBench {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly pending: ((line: string) => void)[] = [];
  private stderr = '';

  constructor(python: string) {
    const script = fileURLToPath(new URL('../torch_bench.py', import.meta.url));
    this.proc = spawn(python, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.lines = createInterface({ input: this.proc.stdout });
    this.lines.on('line', (line) => this.pending.shift()?.(line));
    this.proc.on('exit', (code) => {
      const err = new Error(`torch_bench.py exited with code ${code}:\n${this.stderr.trim()}`);
      for (const p of this.pending.splice(0)) p(JSON.stringify({ error: err.message }));
    });
  }

  private ask<T>(msg: object): Promise<T> {
    return new Promise((resolve, reject) => {
      this.pending.push((line) => {
        const r = JSON.parse(line) as T & { error?: string };
        if (r.error !== undefined) reject(new Error(r.error));
        else resolve(r);
      });
      this.proc.stdin.write(JSON.stringify(msg) + '\n');
    });
  }

  info(): Promise<TorchInfo> {
    return this.ask<TorchInfo>({ cmd: 'info' });
  }

  /** Mean milliseconds of one iteration of `name` with `threads` threads, over `inner` iterations. */
  async sample(name: string, inner: number, threads: number): Promise<number> {
    return (await this.ask<{ ms: number }>({ cmd: 'sample', case: name, inner, threads })).ms;
  }

  close(): void {
    this.proc.stdin.end(JSON.stringify({ cmd: 'quit' }) + '\n');
  }
}
