/**
 * `@flint/core/nn`: modules, layers, losses, `functional` and `init` (`torch.nn`).
 *
 * @example
 * ```ts
 * import { Module, Linear, functional as F } from '@flint/core/nn';
 * class Net extends Module {
 *   fc1 = new Linear(784, 128);
 *   fc2 = new Linear(128, 10);
 *   forward(x: Tensor) { return this.fc2(F.relu(this.fc1(x))); }
 * }
 * ```
 * @module
 */
export { Module, StateDictError } from './module.js';
export type { AnyModule, StateDict, LoadResult, RemovableHandle, ForwardHook, ForwardPreHook } from './module.js';
export { Parameter } from './parameter.js';
export * as init from './init.js';
export * as utils from './utils/index.js';
