/**
 * The module `flint-profile` preloads (`node --import`) into the script's process. It reads
 * `FLINT_PROFILE_MODE` and `FLINT_PROFILE_OUT`:
 * - `ops`: records every Flint op with the {@link Profiler} and, when the process exits or an
 *   uncaught error is about to end it, writes `trace.json`, `ops.txt` (top ops by self time),
 *   `key-averages.json` and `environment.json` into the out folder;
 * - `cpu`: runs V8's sampling profiler through `node:inspector` and writes `node.cpuprofile`.
 * It does nothing in worker threads or when the variables are not set.
 * @internal
 * @module
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { basename, join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

const mode = process.env['FLINT_PROFILE_MODE'];
const out = process.env['FLINT_PROFILE_OUT'];
const top = Number(process.env['FLINT_PROFILE_TOP'] ?? '15');
const script = basename(process.argv[1] ?? 'script');

/** Writes a file at exit without letting a failure hide the script's own exit status. */
function write(file: string, text: string): void {
  try {
    writeFileSync(join(out!, file), text);
  } catch (e) {
    process.stderr.write(`flint-profile: could not write ${file}: ${(e as Error).message}\n`);
  }
}

/**
 * Runs `fn` once, when the process exits or when an uncaught error is about to end it. The
 * second matters: with the wasm backend loaded, an uncaught error ends the process from inside
 * an 'uncaughtException' handler (exit status 7) and 'exit' listeners never run.
 */
function atEnd(fn: (code: number | null, error?: unknown) => void): void {
  let done = false;
  const once = (code: number | null, error?: unknown) => {
    if (done) return;
    done = true;
    fn(code, error);
  };
  process.on('uncaughtExceptionMonitor', (error) => once(null, error));
  process.on('exit', (code) => once(code));
}

if (isMainThread && out !== undefined && mode === 'cpu') {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  atEnd(() => {
    // A same-thread inspector session answers synchronously, so this works while exiting.
    session.post('Profiler.stop', (err, result) => {
      if (err === null) write('node.cpuprofile', JSON.stringify(result.profile));
      else process.stderr.write(`flint-profile: the CPU profiler failed: ${err.message}\n`);
    });
    session.disconnect();
  });
} else if (isMainThread && out !== undefined && mode === 'ops') {
  const { Profiler } = await import('./profiler.js');
  const { environment } = await import('./environment.js');
  const prof = new Profiler({ recordShapes: true, profileMemory: true }).start();
  atEnd((code, error) => {
    const p = prof.stop();
    try {
      p.exportChromeTrace(join(out, 'trace.json'), { processName: `node ${script}` });
    } catch (e) {
      process.stderr.write(`flint-profile: could not write trace.json: ${(e as Error).message}\n`);
    }
    const avg = p.keyAverages();
    write('ops.txt', avg.table({ sortBy: 'selfCpuTimeTotal', rowLimit: Number.isInteger(top) && top > 0 ? top : 15 }));
    write('key-averages.json', JSON.stringify(avg.rows, null, 1));
    const end = error === undefined ? { exitCode: code } : { exitCode: null, uncaught: String((error as Error)?.message ?? error) };
    write('environment.json', JSON.stringify({ ...environment(), ...end, events: p.events.length }, null, 1));
  });
}
