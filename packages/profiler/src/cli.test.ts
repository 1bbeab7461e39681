import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceEvent } from './chrome-trace.js';
import { parseCliArgs } from './cli.js';
import type { FunctionEventAvg } from './key-averages.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixtures = join(root, 'test-fixtures');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const tmp = mkdtempSync(join(tmpdir(), 'flint-profile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI from source, as `flint-profile` would run from dist. */
function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', tsx, join(root, 'src/bin.ts'), ...args], {
    cwd: tmp,
    encoding: 'utf8',
    env: { ...process.env, FLINT_BACKEND: process.env['FLINT_BACKEND'] ?? 'wasm' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('parseCliArgs', () => {
  it('splits options, the script and its arguments', () => {
    const a = parseCliArgs(['--out', 'o', '--top=5', 'train.ts', '--epochs', '1'], new Date(2024, 0, 2, 3, 4, 5));
    expect(a).toEqual({ out: resolve('o'), top: 5, script: resolve('train.ts'), args: ['--epochs', '1'] });
    const b = parseCliArgs(['--', 'x.js'], new Date(2024, 0, 2, 3, 4, 5));
    expect(b).toEqual({ out: resolve('flint-profile-20240102-030405'), top: 15, script: resolve('x.js'), args: [] });
    expect(parseCliArgs(['-h'])).toBe('help');
  });

  it('rejects what it cannot run', () => {
    expect(() => parseCliArgs([])).toThrow('a script to run is required');
    expect(() => parseCliArgs(['--top', '0', 'x.ts'])).toThrow('--top must be a positive integer (got "0")');
    expect(() => parseCliArgs(['--fast', 'x.ts'])).toThrow('unknown option --fast');
    expect(() => parseCliArgs(['notes.txt'])).toThrow('script must be a .ts or .js file (got "notes.txt")');
  });
});

describe('flint-profile', () => {
  it('profiles a TypeScript script twice and writes trace.json and node.cpuprofile', () => {
    const out = join(tmp, 'ok');
    const r = cli('--out', out, '--top', '40', join(fixtures, 'train-step.ts'), '2');
    expect(r.status, r.stderr).toBe(0);
    // The script ran twice, with its arguments.
    expect(r.stdout.match(/trained 2 steps/g)).toHaveLength(2);
    expect(r.stdout).toContain('Environment Summary');
    expect(r.stdout).toMatch(/Flint: @flint\/core \d+\.\d+\.\d+, @flint\/profiler \d+\.\d+\.\d+/);
    expect(r.stdout).toMatch(/Node: v\d+/);
    expect(r.stdout).toMatch(/Backend: wasm, device: cpu/);
    expect(r.stdout).toMatch(/CPUs: \d+ x /);
    expect(r.stdout).toContain('top ops by self time');
    expect(r.stdout).toContain('top JavaScript functions by self time');

    const rows = JSON.parse(readFileSync(join(out, 'key-averages.json'), 'utf8')) as FunctionEventAvg[];
    const count = (k: string) => rows.find((row) => row.key === k)?.count;
    // Two steps: each runs the 'forward' range, two linear layers, and their backward nodes.
    expect([count('forward'), count('linear'), count('relu'), count('AddmmBackward0'), count('ReluBackward0')]).toEqual([2, 4, 2, 4, 2]);
    expect(r.stdout).toMatch(/^\s+AddmmBackward0\s.*\s4$/m);

    const trace = JSON.parse(readFileSync(join(out, 'trace.json'), 'utf8')) as { traceEvents: TraceEvent[] };
    const spans = trace.traceEvents.filter((e) => e.ph === 'X');
    expect(spans.filter((e) => e.name === 'forward' && e.cat === 'user_annotation')).toHaveLength(2);
    expect(spans.some((e) => e.cat === 'backward')).toBe(true);

    const cpu = JSON.parse(readFileSync(join(out, 'node.cpuprofile'), 'utf8')) as { nodes: unknown[]; samples: unknown[] };
    expect(cpu.nodes.length).toBeGreaterThan(0);
    expect(cpu.samples.length).toBeGreaterThan(0);
  });

  it('exits non-zero when the script throws, and still writes its partial profile', () => {
    const out = join(tmp, 'fails');
    const r = cli('--out', out, join(fixtures, 'fails.ts'));
    // Node's status for an uncaught error is 1; with the wasm backend loaded it is 7.
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('fails.ts: deliberate failure');
    expect(r.stderr).toContain(`the script failed (exit status ${r.status})`);
    for (const f of ['trace.json', 'node.cpuprofile', 'ops.txt', 'environment.json']) expect(existsSync(join(out, f)), f).toBe(true);
    const names = (JSON.parse(readFileSync(join(out, 'trace.json'), 'utf8')) as { traceEvents: TraceEvent[] }).traceEvents.map((e) => e.name);
    expect(names).toContain('matmul');
    expect(names).toContain('MmBackward0');
    expect(JSON.parse(readFileSync(join(out, 'environment.json'), 'utf8'))).toMatchObject({ uncaught: 'fails.ts: deliberate failure after one backward' });
    expect(r.stdout).toContain(`Exit status: ${r.status} under the op profiler, ${r.status} under the CPU profiler`);
  });

  it('explains its usage', () => {
    const r = cli();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('flint-profile: a script to run is required');
    expect(r.stderr).toContain('usage: flint-profile [--out DIR]');
    const missing = cli(join(tmp, 'nope.ts'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/script .*nope\.ts not found/);
  });
});
