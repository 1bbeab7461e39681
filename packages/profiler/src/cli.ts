/**
 * `flint-profile [--out DIR] [--top N] [--] script.(ts|js) [args...]`: the
 * `torch.utils.bottleneck` analog. Runs the script twice in child processes, once under the op
 * profiler and once under V8's CPU profiler, then prints an environment summary, the top Flint
 * ops by self time and the top JavaScript functions by self time, and leaves `trace.json` and
 * `node.cpuprofile` in the out folder.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatFunctionTable, topFunctions, type CpuProfile } from './cpuprofile.js';
import type { Environment } from './environment.js';

const USAGE = `usage: flint-profile [--out DIR] [--top N] [--] script.(ts|js) [args...]

Runs the script once under Flint's op profiler and once under Node's CPU profiler, prints an
environment summary, the top ops and the top JavaScript functions by self time, and writes
trace.json (chrome://tracing, https://ui.perfetto.dev) and node.cpuprofile (Chrome DevTools)
into DIR (default ./flint-profile-<timestamp>).

  --out DIR   where to write the results
  --top N     rows in each table (default 15)
  -h, --help  this text
`;

/**
 * What the command line asks for.
 *
 * @example
 * ```ts
 * const args = parseCliArgs(['train.ts']) as CliArgs; // args.top === 15
 * ```
 */
export interface CliArgs {
  /** The out folder (absolute). */
  out: string;
  /** Rows per table. */
  top: number;
  /** The script (absolute). */
  script: string;
  /** Arguments for the script. */
  args: string[];
}

/** A command-line mistake: printed with the usage, exit status 2. */
class UsageError extends Error {}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/**
 * Parses `flint-profile`'s arguments: options come before the script; everything after the
 * script (or after `--`) is the script's.
 *
 * @example
 * ```ts
 * parseCliArgs(['--out', 'prof', 'train.ts', '--epochs', '1']);
 * // { out: '/abs/prof', top: 15, script: '/abs/train.ts', args: ['--epochs', '1'] }
 * ```
 */
export function parseCliArgs(argv: readonly string[], now = new Date()): CliArgs | 'help' {
  let out: string | undefined;
  let top = 15;
  let i = 0;
  const value = (flag: string): string => {
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`flint-profile: ${flag} needs a value`);
    return v;
  };
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-h' || a === '--help') return 'help';
    if (a === '--out' || a.startsWith('--out=')) out = a === '--out' ? value(a) : a.slice(6);
    else if (a === '--top' || a.startsWith('--top=')) {
      const v = a === '--top' ? value(a) : a.slice(6);
      top = Number(v);
      if (!Number.isInteger(top) || top < 1) throw new UsageError(`flint-profile: --top must be a positive integer (got ${JSON.stringify(v)})`);
    } else if (a.startsWith('-')) throw new UsageError(`flint-profile: unknown option ${a}`);
    else break;
  }
  const script = argv[i];
  if (script === undefined) throw new UsageError('flint-profile: a script to run is required');
  if (!/\.(ts|mts|cts|tsx|js|mjs|cjs|jsx)$/.test(script)) {
    throw new UsageError(`flint-profile: script must be a .ts or .js file (got ${JSON.stringify(script)})`);
  }
  return {
    out: resolve(out ?? `flint-profile-${stamp(now)}`),
    top,
    script: resolve(script),
    args: argv.slice(i + 1),
  };
}

/** `--conditions` flags this process runs with, so the children resolve packages the same way. */
function conditionFlags(): string[] {
  const flags: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--conditions=') || (a.startsWith('-C') && a.length > 2)) flags.push(a);
    else if ((a === '--conditions' || a === '-C') && argv[i + 1] !== undefined) flags.push(a, argv[++i]!);
  }
  return flags;
}

/** Runs the script once in the given mode; returns its exit status. */
function runChild(mode: 'ops' | 'cpu', cli: CliArgs): number {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const preload = new URL(import.meta.url.endsWith('.ts') ? './preload.ts' : './preload.js', import.meta.url).href;
  const r = spawnSync(process.execPath, [...conditionFlags(), '--import', tsx, '--import', preload, cli.script, ...cli.args], {
    stdio: 'inherit',
    env: { ...process.env, FLINT_PROFILE_MODE: mode, FLINT_PROFILE_OUT: cli.out, FLINT_PROFILE_TOP: String(cli.top) },
  });
  if (r.error !== undefined) throw r.error;
  return r.status ?? 1;
}

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

function banner(title: string): string {
  const rule = '-'.repeat(80);
  return `${rule}\n  ${title}\n${rule}\n`;
}

/** The report printed after both runs. */
function summary(cli: CliArgs, opsStatus: number, cpuStatus: number): string {
  const env = readJson<Environment & { exitCode: number | null; uncaught?: string; events: number }>(`${cli.out}/environment.json`);
  let text = banner('Environment Summary');
  if (env === null) text += 'Flint: (the op-profiler run wrote no environment.json)\n';
  else {
    text += `Flint: @flint/core ${env.flint}, @flint/profiler ${env.profiler}\n`;
    text += `Node: ${env.node} (V8 ${env.v8}, ${env.platform})\n`;
    text += `Backend: ${env.backend}, device: ${env.device}\n`;
    text += `CPUs: ${env.cpuCount} x ${env.cpuModel}\n`;
  }
  text += `Script: ${cli.script}${cli.args.length > 0 ? ' ' + cli.args.join(' ') : ''}\n`;
  text += `Exit status: ${opsStatus} under the op profiler, ${cpuStatus} under the CPU profiler\n`;
  if (env?.uncaught !== undefined) text += `Uncaught error: ${env.uncaught} (the profiles stop there)\n`;
  text += '\n';

  text += banner('Flint op profiler: top ops by self time');
  text += existsSync(`${cli.out}/ops.txt`) ? readFileSync(`${cli.out}/ops.txt`, 'utf8') : '(no ops.txt was written)\n';
  text += '\n';

  text += banner('Node CPU profiler: top JavaScript functions by self time');
  const cpu = readJson<CpuProfile>(`${cli.out}/node.cpuprofile`);
  if (cpu === null) text += '(no node.cpuprofile was written)\n';
  else {
    const all = topFunctions(cpu);
    const total = all.reduce((s, f) => s + f.selfTime, 0);
    text += formatFunctionTable(all.slice(0, cli.top), total);
  }
  text += `\nWrote ${cli.out}/trace.json (open in chrome://tracing or https://ui.perfetto.dev)\n`;
  text += `  and ${cli.out}/node.cpuprofile (open in Chrome DevTools > Performance, or speedscope)\n`;
  return text;
}

/**
 * Runs `flint-profile` with `argv` (without `node` and the command); returns the exit status:
 * 0, the script's own non-zero status when it failed in either run, or 2 for a usage error.
 *
 * @example
 * ```ts
 * process.exitCode = main(['--out', 'prof', 'train.ts']);
 * ```
 */
export function main(argv: readonly string[]): number {
  let cli: CliArgs | 'help';
  try {
    cli = parseCliArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (cli === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!existsSync(cli.script)) {
    process.stderr.write(`flint-profile: script ${cli.script} not found\n`);
    return 2;
  }
  mkdirSync(cli.out, { recursive: true });
  process.stderr.write(`flint-profile: running ${cli.script} under the op profiler\n`);
  const opsStatus = runChild('ops', cli);
  process.stderr.write(`flint-profile: running ${cli.script} under the CPU profiler\n`);
  const cpuStatus = runChild('cpu', cli);
  process.stdout.write(summary(cli, opsStatus, cpuStatus));
  const failed = opsStatus !== 0 ? opsStatus : cpuStatus;
  if (failed !== 0) process.stderr.write(`flint-profile: the script failed (exit status ${failed}); the results above are partial\n`);
  return failed;
}
