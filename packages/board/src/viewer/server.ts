/**
 * `startBoard`: the viewer's HTTP server. It serves the browser app and the data routes, and
 * reloads the logdir in the background (every `reloadInterval` ms and on `POST /data/reload`), so
 * new runs, tags and points show up while training writes. The first reload runs after the
 * server listens: the page opens at once and fills in as runs are read.
 * @module
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ArgumentError, describe } from '../errors.js';
import { LogdirReader } from '../reader/logdir-reader.js';
import { HttpError, SECURITY_HEADERS, requestParams, send, sendJson } from './http.js';
import { ROUTES } from './routes.js';
import { StaticFiles } from './static-files.js';

/**
 * Options of {@link startBoard}.
 *
 * @example
 * ```ts
 * const options: BoardOptions = { logdir: 'runs', port: 0, host: '127.0.0.1', reloadInterval: 2000 };
 * ```
 */
export interface BoardOptions {
  /** The log directory to serve. */
  logdir: string;
  /** Port; default 6006, `0` picks a free one. */
  port?: number;
  /** Interface to bind; default `'127.0.0.1'` (this machine only). */
  host?: string;
  /** Milliseconds between background reloads; default 1000, `0` reloads only on request. */
  reloadInterval?: number;
  /** Resolve only once the first reload has finished (default `false`: serve while loading). */
  waitForLoad?: boolean;
}

/**
 * A running viewer, from {@link startBoard}.
 *
 * @example
 * ```ts
 * const board: BoardServer = await startBoard({ logdir: 'runs', port: 0 });
 * await board.reload(); // read new data now
 * await board.close();
 * ```
 */
export interface BoardServer {
  /** `http://host:port/`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The reader behind the routes. */
  readonly reader: LogdirReader;
  readonly server: Server;
  /** Bumped whenever a reload reads new events or finds new runs (the page polls it). */
  readonly generation: number;
  /** Reloads the logdir now. */
  reload(): Promise<void>;
  /** Stops reloading and closes the server. */
  close(): Promise<void>;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The hostname of a Host header, without the port. */
function hostName(header: string | undefined): string {
  if (!header) return '';
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  return header.replace(/:\d+$/, '');
}

/**
 * Starts the viewer on `logdir`.
 *
 * @example
 * ```ts
 * import { startBoard } from '@flint/board';
 * const board = await startBoard({ logdir: 'runs', port: 0 });
 * console.log(`open ${board.url}`);
 * // ... later
 * await board.close();
 * ```
 */
export async function startBoard(options: BoardOptions): Promise<BoardServer> {
  if (typeof options !== 'object' || options === null || typeof options.logdir !== 'string' || options.logdir === '') {
    throw new ArgumentError(`startBoard(): options.logdir must be a non-empty string (got ${describe((options as BoardOptions | null)?.logdir)})`);
  }
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 6006;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ArgumentError(`startBoard(): options.port must be an integer in 0..65535 (got ${describe(port)})`);
  const interval = options.reloadInterval ?? 1000;
  if (!(interval >= 0)) throw new ArgumentError(`startBoard(): options.reloadInterval must be >= 0 ms (got ${describe(interval)})`);

  const reader = new LogdirReader(options.logdir);
  const files = new StaticFiles();
  const guardHost = isLoopback(host);
  let generation = 0;
  let loading = true;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;

  const reload = (): Promise<void> => {
    current ??= reader
      .reload()
      .then((r) => {
        if (r.newEvents > 0 || r.newRuns.length > 0) generation++;
      })
      .catch((e: unknown) => console.error(`flint-board: reload failed: ${(e as Error).message}`))
      .finally(() => {
        loading = false;
        current = undefined;
      });
    return current;
  };
  const loop = async (): Promise<void> => {
    await reload();
    if (!closed && interval > 0) timer = setTimeout(loop, interval);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (guardHost && !isLoopback(hostName(req.headers.host))) throw new HttpError(403, 'this server answers only to localhost (the Host header names another host)');
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') throw new HttpError(405, `method ${req.method} not allowed`);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      throw new HttpError(400, 'malformed URL');
    }
    if (url.pathname.startsWith('/data/')) {
      const route = ROUTES[url.pathname];
      if (!route) throw new HttpError(404, `no route ${url.pathname}`);
      const params = await requestParams(req, url);
      const result = await route({
        reader,
        params,
        reload,
        get generation() {
          return generation;
        },
        get loading() {
          return loading;
        },
      });
      if ('json' in result) return sendJson(req, res, result.json);
      if ('csv' in result) return send(req, res, 200, 'text/csv; charset=utf-8', result.csv, result.filename ? { 'Content-Disposition': `attachment; filename="${result.filename}"` } : {});
      return send(req, res, 200, result.type, result.bytes);
    }
    if (req.method === 'POST') throw new HttpError(405, 'POST is for /data/ routes');
    const file = files.get(url.pathname);
    if (!file) throw new HttpError(404, 'not found');
    send(req, res, 200, file.type, file.body, file.csp ? { 'Content-Security-Policy': file.csp } : {});
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      if (status === 500) console.error(`flint-board: ${req.method} ${req.url}: ${(e as Error).stack ?? e}`);
      if (res.headersSent) return res.destroy();
      res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`${status} ${(e as Error).message}\n`);
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const first = loop();
  if (options.waitForLoad) await first;
  const shown = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shown}:${bound}/`,
    host,
    port: bound,
    reader,
    server,
    get generation() {
      return generation;
    },
    reload,
    async close() {
      closed = true;
      clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await current;
    },
  };
}
