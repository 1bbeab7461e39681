/**
 * `main`: the command line of `flint-board --logdir DIR [--port 6006] [--host 127.0.0.1]`: serves the viewer until Ctrl-C.
 *
 * @example
 * ```sh
 * flint-board --logdir runs
 * flint-board --logdir runs --port 0 --host 0.0.0.0   # any free port, reachable from the network
 * ```
 * @module
 */
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startBoard } from './server.js';

const USAGE = `usage: flint-board --logdir DIR [--port 6006] [--host 127.0.0.1] [--reload-interval SECONDS]

Serves a web viewer of the TensorBoard event files under DIR.
  --logdir DIR             the log directory (the SummaryWriter's runs/ folder)
  --port N                 port to listen on (default 6006; 0 picks a free one)
  --host HOST              interface to bind (default 127.0.0.1: this machine only;
                           0.0.0.0 serves the network, without authentication)
  --reload-interval SEC    seconds between re-reads of the logdir (default 1)
  -h, --help               this text`;

/**
 * Runs the command line: parses `argv` (without `node` and the script), starts the server and
 * returns it, or prints an error and returns `undefined` with `process.exitCode` set.
 *
 * @example
 * ```ts
 * await main(['--logdir', 'runs', '--port', '0']);
 * ```
 */
export async function main(argv: string[]): Promise<Awaited<ReturnType<typeof startBoard>> | undefined> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        logdir: { type: 'string' },
        port: { type: 'string', default: '6006' },
        host: { type: 'string', default: '127.0.0.1' },
        'reload-interval': { type: 'string', default: '1' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    console.error(`flint-board: ${(e as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return undefined;
  }
  if (values.help) {
    console.log(USAGE);
    return undefined;
  }
  const fail = (msg: string) => {
    console.error(`flint-board: ${msg}\n\n${USAGE}`);
    process.exitCode = 2;
    return undefined;
  };
  if (!values.logdir) return fail('--logdir is required');
  if (!existsSync(values.logdir) || !statSync(values.logdir).isDirectory()) return fail(`--logdir ${JSON.stringify(values.logdir)} is not a directory`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return fail(`--port must be an integer in 0..65535 (got ${JSON.stringify(values.port)})`);
  const seconds = Number(values['reload-interval']);
  if (!(seconds >= 0)) return fail(`--reload-interval must be a number of seconds >= 0 (got ${JSON.stringify(values['reload-interval'])})`);
  try {
    const board = await startBoard({ logdir: values.logdir, port, host: values.host, reloadInterval: seconds * 1000 });
    console.log(`flint-board: serving ${board.reader.logdir} at ${board.url} (Ctrl-C to stop)`);
    if (values.host === '0.0.0.0' || values.host === '::') console.log('flint-board: listening on every interface; anyone who can reach this machine can read the logs');
    const stop = () => {
      void board.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return board;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') return fail(`port ${port} is in use; pass --port N or --port 0`);
    console.error(`flint-board: ${err.message}`);
    process.exitCode = 1;
    return undefined;
  }
}
