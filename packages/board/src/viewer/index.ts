/**
 * `@flint/board/viewer`: the server behind `flint-board`, for starting the viewer from code.
 *
 * @example
 * ```ts
 * import { startBoard } from '@flint/board/viewer';
 * const board = await startBoard({ logdir: 'runs', port: 0 });
 * console.log(board.url);
 * ```
 * @module
 */
export { startBoard } from './server.js';
export type { BoardOptions, BoardServer } from './server.js';
export { main } from './main.js';
export { ROUTES, DASHBOARDS, sampleIndices } from './routes.js';
export type { RouteContext, RouteResult } from './routes.js';
export { HttpError, toJson, toCsv } from './http.js';
export { StaticFiles, safePath, APP_DIR } from './static-files.js';
