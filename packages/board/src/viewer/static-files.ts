/**
 * The viewer's own static files: the browser app in `viewer-app/` and a fixed list of vendored
 * modules from `node_modules` (uPlot, marked, DOMPurify). Nothing else is served from disk: a
 * path is decoded once, and one with a `..` segment, a backslash or a NUL is refused before it
 * is joined to the app folder.
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpError } from './http.js';

/**
 * The folder of the browser app (beside `src/` and `dist/`).
 *
 * @example
 * ```ts
 * join(APP_DIR, 'index.html');
 * ```
 */
export const APP_DIR = fileURLToPath(new URL('../../viewer-app/', import.meta.url));

const require = createRequire(import.meta.url);

/** A file inside an installed package (found from its main entry: `exports` may hide the rest). */
function packageFile(name: string, file: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of package ${name}`);
    dir = up;
  }
  return join(dir, file);
}

/** URL path -> file of a vendored browser module. */
const VENDOR: Record<string, () => string> = {
  '/vendor/uplot.js': () => packageFile('uplot', 'dist/uPlot.esm.js'),
  '/vendor/uplot.css': () => packageFile('uplot', 'dist/uPlot.min.css'),
  '/vendor/marked.js': () => packageFile('marked', 'lib/marked.esm.js'),
  '/vendor/dompurify.js': () => packageFile('dompurify', 'dist/purify.es.mjs'),
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * A static file ready to send.
 *
 * @example
 * ```ts
 * const f: StaticFile | undefined = new StaticFiles().get('/app/main.js');
 * ```
 */
export interface StaticFile {
  type: string;
  body: Uint8Array;
  /** Content-Security-Policy, for the HTML page. */
  csp?: string;
}

/**
 * Decodes a URL path and refuses what could leave a folder: 400 for a malformed escape, a NUL,
 * a backslash or a `..` segment (also when written `%2e%2e` or joined by `%2f`).
 *
 * @example
 * ```ts
 * safePath('/app/main.js'); // '/app/main.js'
 * safePath('/..%2fetc/passwd'); // throws HttpError(400)
 * ```
 */
export function safePath(rawPath: string): string {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    throw new HttpError(400, 'malformed URL escape');
  }
  if (path.includes('\0') || path.includes('\\')) throw new HttpError(400, 'bad character in path');
  if (path.split('/').some((seg) => seg === '..' || seg === '.')) throw new HttpError(400, 'relative path segments are not served');
  return path;
}

/**
 * Serves the app's files from memory after the first read (they do not change while it runs).
 *
 * @example
 * ```ts
 * const files = new StaticFiles();
 * const index = files.get('/'); // the page, with its Content-Security-Policy
 * ```
 */
export class StaticFiles {
  private readonly cache = new Map<string, StaticFile>();

  constructor(private readonly appDir: string = APP_DIR) {}

  /** The file for a (raw) URL path, or `undefined` (404). Throws `HttpError(400)` for a bad path. */
  get(rawPath: string): StaticFile | undefined {
    const path = safePath(rawPath);
    const key = path === '/' || path === '/index.html' ? '/index.html' : path;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const file = this.load(key);
    if (file) this.cache.set(key, file);
    return file;
  }

  private load(path: string): StaticFile | undefined {
    let abs: string | undefined;
    const vendor = VENDOR[path];
    if (vendor) abs = vendor();
    else if (path.startsWith('/app/') || path === '/index.html' || path === '/favicon.svg') {
      abs = resolve(this.appDir, `.${path}`);
      if (!abs.startsWith(this.appDir.endsWith(sep) ? this.appDir : this.appDir + sep)) return undefined;
    }
    if (!abs) return undefined;
    const type = TYPES[extname(abs)];
    if (!type) return undefined;
    try {
      if (!statSync(abs).isFile()) return undefined;
    } catch {
      return undefined;
    }
    const body = readFileSync(abs);
    return path === '/index.html' ? { type, body, csp: pageCsp(body.toString('utf8')) } : { type, body };
  }
}

/**
 * The page's Content-Security-Policy: scripts only from this server plus the page's inline
 * import map (allowed by its hash), no plugins, no framing; images and audio from this server
 * and blob: URLs.
 */
function pageCsp(html: string): string {
  const hashes = [...html.matchAll(/<script type="importmap">([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
  return [
    "default-src 'self'",
    `script-src 'self' ${hashes.join(' ')}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
