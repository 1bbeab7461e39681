/**
 * A benchmark child process driven over stdin/stdout, one JSON object per line each way (the
 * protocol of `more_torch.py`), and its cases as {@link Contender}s for `runRounds`.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { sleep, type Contender } from '../more/harness.js';

export class JsonChild {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly pending: ((line: string) => void)[] = [];
  private stderr = '';

  constructor(readonly label: string, command: string, args: string[], env: Record<string, string>, cwd: string) {
    this.proc = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    createInterface({ input: this.proc.stdout }).on('line', (line) => {
      if (line.startsWith('{')) this.pending.shift()?.(line);
    });
    this.proc.on('exit', (code) => {
      const message = `${label} exited with code ${code}:\n${this.stderr.trim().split('\n').slice(-10).join('\n')}`;
      for (const p of this.pending.splice(0)) p(JSON.stringify({ error: message }));
    });
  }

  ask<T>(msg: object): Promise<T> {
    return new Promise((resolve, reject) => {
      this.pending.push((line) => {
        const r = JSON.parse(line) as T & { error?: string };
        if (r.error !== undefined) reject(new Error(`${this.label} ${JSON.stringify(msg)}: ${r.error}`));
        else resolve(r);
      });
      this.proc.stdin.write(JSON.stringify(msg) + '\n');
    });
  }

  /** Case `name` of this child as a contender called `label`; `pauseMs` lets worker threads settle after a sample. */
  contender(label: string, name: string, extra: object = {}, pauseMs = 0): Contender {
    return {
      name: label,
      make: async () => ({
        sample: async (inner) => {
          const { ms } = await this.ask<{ ms: number }>({ cmd: 'sample', case: name, inner, ...extra });
          if (pauseMs > 0) await sleep(pauseMs);
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
