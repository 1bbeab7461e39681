/**
 * `expectNoLeak`: runs code and fails if it left tensors alive.
 * @module
 */
import { memory } from '../memory/scope.js';
import { AssertionFailed } from './assert-close.js';

/**
 * Runs `fn` (sync or async) and throws if live tensors or backend buffers grew across it.
 * Anything `fn` keeps on purpose (a returned tensor) counts as a leak, so return nothing.
 *
 * @example
 * ```ts
 * await expectNoLeak(() => scope(() => { model.forward(x).sum().backward(); }));
 * ```
 */
export function expectNoLeak(fn: () => void | Promise<void>): void | Promise<void> {
  const before = memory();
  const check = (): void => {
    const after = memory();
    const grew = after.numTensors - before.numTensors;
    const grewBackend = after.backend.numTensors - before.backend.numTensors;
    if (grew > 0 || grewBackend > 0) {
      throw new AssertionFailed(
        `expectNoLeak(): ${grew} Flint tensors (${after.numBytes - before.numBytes} bytes) and ${grewBackend} backend tensors were left alive`,
      );
    }
  };
  const r = fn();
  if (r instanceof Promise) return r.then(check);
  check();
}
