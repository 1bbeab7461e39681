/**
 * `@flint/core`: tensors, autograd, memory scopes and backends. Importing it starts the backend
 * (top-level await), so the first op needs no set-up.
 *
 * @example
 * ```ts
 * import * as flint from '@flint/core';
 * const w = flint.randn([3, 1], { requiresGrad: true });
 * const loss = flint.tensor([[1, 2, 3]]).matmul(w).pow(2).sum();
 * loss.backward();
 * console.log(w.grad!.toString());
 * ```
 * @module
 */
export { Tensor } from './tensor/tensor.js';
export type { Device, DeviceLike, TensorLike, NestedArray, Dims, ShapeArgs, BackwardOptions } from './tensor/tensor.js';
export type { DType } from './tensor/dtype.js';
export { promoteTypes } from './tensor/dtype.js';
export {
  tensor,
  zeros,
  ones,
  full,
  empty,
  zerosLike,
  onesLike,
  fullLike,
  emptyLike,
  rand,
  randn,
  randLike,
  randnLike,
  randint,
  randperm,
  arange,
  linspace,
  eye,
} from './tensor/create.js';
export type { TensorOptions, RandomOptions, TensorData } from './tensor/create.js';

export { add, sub, mul, div, pow, neg, maximum, minimum, where, clamp } from './ops/arith.js';
export { abs, exp, log, log1p, sqrt, rsqrt, sin, cos, tanh, sigmoid, relu, floor, ceil, round, sign, reciprocal, square } from './ops/unary.js';
export { eq, ne, lt, le, gt, ge, logicalAnd, logicalOr, logicalXor, logicalNot, isnan, isinf, isfinite } from './ops/compare.js';
export { sum, mean, prod, max, min, amax, amin, argmax, argmin, var_ as var, std, logsumexp, norm, all, any, cumsum } from './ops/reduce.js';
export type { ReduceOptions, VarOptions, ValuesIndices } from './ops/reduce.js';
export { matmul, mm, bmm, outer, dot } from './ops/matmul.js';
export {
  reshape,
  flatten,
  squeeze,
  unsqueeze,
  permute,
  transpose,
  t,
  expand,
  repeat,
  cat,
  stack,
  split,
  chunk,
  narrow,
  unbind,
  flip,
  clone,
  detach,
} from './ops/shape.js';
export { indexSelect, gather, scatter, scatterAdd, maskedFill } from './ops/gather.js';
export { index, indexPut, slice } from './ops/indexing.js';
export type { Index, Slice } from './ops/indexing.js';
export { cast } from './ops/cast.js';

export { noGrad, enableGrad, inferenceMode, isGradEnabled, isInferenceModeEnabled } from './autograd/grad-mode.js';
export { Node } from './autograd/node.js';
export type { BackwardFn, GradHook } from './autograd/node.js';
export { setDispatchHook } from './autograd/function.js';
export type { DispatchHook } from './autograd/function.js';
export * as autograd from './autograd/public.js';

export { scope, beginScope, keep, memory } from './memory/scope.js';
export type { MemoryInfo, DeviceMemory, OpenScope } from './memory/scope.js';
export { Generator, defaultGenerator, manualSeed, seed, initialSeed, getRngState, setRngState } from './random/generator.js';
export type { GeneratorState } from './random/generator.js';
export { setBackend, backend } from './kernels/backend.js';
export type { BackendName } from './kernels/backend.js';
export { native, setNumThreads, getNumThreads } from './kernels/native.js';
export type { NativeInfo } from './kernels/native.js';
export { gpu, cuda, setDefaultDevice, getDefaultDevice } from './device.js';
export {
  FlintError,
  ShapeError,
  DTypeError,
  AutogradError,
  DeviceError,
  BackendError,
  DisposedError,
  ArgumentError,
} from './errors.js';
export * as testing from './testing/index.js';
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export * as data from './data/index.js';
export * as fft from './fft/index.js';
export { StateDictError } from './nn/module.js';
export { save, saveSync } from './serialization/save.js';
export { load, loadSync } from './serialization/load.js';
export type { LoadOptions } from './serialization/load.js';
export { SerializationError } from './serialization/serialization-error.js';
