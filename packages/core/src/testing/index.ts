/**
 * `@flint/core/testing`: the checks Flint's own tests use, public for packages built on Flint.
 *
 * @example
 * ```ts
 * import { assertClose, gradcheck, expectNoLeak } from '@flint/core/testing';
 * ```
 * @module
 */
export { assertClose, AssertionFailed } from './assert-close.js';
export type { CloseOptions, Comparable } from './assert-close.js';
export { gradcheck } from './gradcheck.js';
export type { GradcheckOptions } from './gradcheck.js';
export { expectNoLeak } from './expect-no-leak.js';
