/**
 * The one place Flint imports TensorFlow.js. Everything else in Flint reaches kernels through
 * this folder, so that backends can be swapped or supplemented without touching the ops.
 * @internal
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

export { tf };
/** A backend tensor: the storage behind a Flint {@link Tensor}. */
export type Handle = tf.Tensor;
/** The dtypes a handle can carry. */
export type HandleDType = tf.DataType;
