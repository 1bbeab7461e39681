/**
 * Call stacks for `withStack`: the caller's frames, with Flint's own frames (core and this
 * package) and Node's internals left out.
 * @internal
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How many user frames an event keeps. */
const MAX_FRAMES = 8;

/** The folder holding the package.json of the package that contains `file`. */
function packageRoot(file: string): string | null {
  let dir = dirname(file);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** The profiler's own modules (src/ or dist/), whose frames are never the caller's. */
const profilerDir = dirname(fileURLToPath(import.meta.url));
const isProfilerFrame = (file: string) => under(file, profilerDir) && !/\.test\.[cm]?[jt]s$/.test(file);
/** Core's folder, learned from the first frame below the hook (core's `apply` or its backward engine). */
let coreRoot: string | null = null;

/** The root of `@flint/core` when `file` belongs to it, else `null`. */
function coreRootOf(file: string): string | null {
  const root = packageRoot(file);
  if (root === null) return null;
  try {
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: string }).name === '@flint/core' ? root : null;
  } catch {
    return null;
  }
}

/** `fn (file:///a/b.ts:3:5)` -> `/a/b.ts`; `null` for frames without a file (native, eval). */
function frameFile(frame: string): string | null {
  const m = /\(([^()]+)\)$/.exec(frame) ?? /^at (.+)$/.exec(frame);
  const loc = (m?.[1] ?? '').replace(/:\d+:\d+$/, '').replace(/^at /, '');
  if (loc.startsWith('file://')) return fileURLToPath(loc);
  return loc.startsWith('/') || /^[A-Za-z]:\\/.test(loc) ? loc : null;
}

function under(file: string, root: string | null): boolean {
  return root !== null && (file === root || file.startsWith(root + '/') || file.startsWith(root + '\\'));
}

/**
 * The current call stack, innermost first, without the profiler's, core's and Node's frames.
 * `fromHook` says that the caller is core's dispatch hook, so the first outside frame is core's.
 */
export function captureStack(fromHook: boolean): string[] {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder);
  Error.stackTraceLimit = limit;
  const frames = (holder.stack ?? '').split('\n').slice(1).map((l) => l.trim());
  const out: string[] = [];
  for (const frame of frames) {
    const file = frameFile(frame);
    if (file === null) continue;
    if (isProfilerFrame(file)) continue;
    if (fromHook && coreRoot === null) coreRoot = coreRootOf(file);
    if (under(file, coreRoot)) continue;
    out.push(frame.replace(/^at /, '').replace(/file:\/\/(\/[^:)]*)/, (_, p: string) => decodeURIComponent(p)));
    if (out.length === MAX_FRAMES) break;
  }
  return out;
}
