/**
 * Grad mode: whether ops record the graph. `noGrad`, `enableGrad` and `inferenceMode` take sync or
 * async callbacks; the mode follows async work started inside them.
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';

interface Mode {
  enabled: boolean;
  inference: boolean;
}
const storage = new AsyncLocalStorage<Mode>();
const DEFAULT: Mode = { enabled: true, inference: false };
const NO_GRAD: Mode = { enabled: false, inference: false };
const ENABLE_GRAD: Mode = { enabled: true, inference: false };
const INFERENCE: Mode = { enabled: false, inference: true };

function mode(): Mode {
  return storage.getStore() ?? DEFAULT;
}

/**
 * Whether ops record the graph for autograd right now (`torch.is_grad_enabled()`).
 *
 * @example
 * ```ts
 * noGrad(() => isGradEnabled()); // false
 * ```
 */
export function isGradEnabled(): boolean {
  return mode().enabled;
}

/** Whether the code runs inside {@link inferenceMode}. */
export function isInferenceModeEnabled(): boolean {
  return mode().inference;
}

/**
 * Runs `fn` without recording the graph (`with torch.no_grad():`). Returns what `fn` returns;
 * an async `fn` keeps the mode across its awaits.
 *
 * @example
 * ```ts
 * noGrad(() => { w.sub_(w.grad!.mul(0.1)); });
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  return storage.run(NO_GRAD, fn);
}

/**
 * Runs `fn` with the graph recorded, also inside {@link noGrad} (`with torch.enable_grad():`).
 *
 * @example
 * ```ts
 * noGrad(() => enableGrad(() => x.mul(2))).requiresGrad; // true when x requires grad
 * ```
 */
export function enableGrad<T>(fn: () => T): T {
  return storage.run(ENABLE_GRAD, fn);
}

/**
 * Runs `fn` for inference (`with torch.inference_mode():`): no graph is recorded, as in
 * {@link noGrad}, and {@link isInferenceModeEnabled} reports it.
 *
 * @example
 * ```ts
 * const logits = inferenceMode(() => model.forward(x));
 * ```
 */
export function inferenceMode<T>(fn: () => T): T {
  return storage.run(INFERENCE, fn);
}

/** Runs `fn` with grad mode set to `enabled`. @internal */
export function withGradMode<T>(enabled: boolean, fn: () => T): T {
  return storage.run(enabled ? ENABLE_GRAD : NO_GRAD, fn);
}
