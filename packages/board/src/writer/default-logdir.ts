/**
 * PyTorch's default log directory: `runs/<Mon><DD>_<HH>-<MM>-<SS>_<host><comment>`, local time.
 * @module
 */
import { hostname } from 'node:os';
import { join } from 'node:path';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The directory a `SummaryWriter` without `logDir` writes to.
 *
 * @example
 * ```ts
 * defaultLogdir('_lr0.1', new Date(2024, 2, 5, 9, 7, 3)); // 'runs/Mar05_09-07-03_<host>_lr0.1'
 * ```
 */
export function defaultLogdir(comment = '', now = new Date(), host = hostname()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${MONTHS[now.getMonth()]}${p(now.getDate())}_${p(now.getHours())}-${p(now.getMinutes())}-${p(now.getSeconds())}`;
  return join('runs', `${stamp}_${host}${comment}`);
}
