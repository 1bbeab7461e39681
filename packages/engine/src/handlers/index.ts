/**
 * Handlers: objects attached to engine events that save, stop, time, schedule, show and log.
 * @module
 */
export { CallableHandler } from './callable.js';
export { Checkpoint } from './checkpoint.js';
export type { CheckpointOptions, SavedItem, Stateful } from './checkpoint.js';
export { DiskSaver, CHECKPOINT_EXT } from './disk-saver.js';
export type { CheckpointMetadata, DiskSaverOptions, SaveHandler } from './disk-saver.js';
export { ModelCheckpoint } from './model-checkpoint.js';
export type { ModelCheckpointOptions } from './model-checkpoint.js';
export { EarlyStopping } from './early-stopping.js';
export type { EarlyStoppingOptions } from './early-stopping.js';
export { Timer } from './timer.js';
export type { TimerEvents } from './timer.js';
export { TerminateOnNan } from './terminate-on-nan.js';
export { LRScheduler, PiecewiseLinear } from './lr-scheduler.js';
export type { LRSchedulerOptions, SchedulerLike } from './lr-scheduler.js';
export { ProgressBar } from './progress-bar.js';
export type { ProgressBarAttachOptions, ProgressBarOptions, ProgressStream } from './progress-bar.js';
export { BoardLogger } from './board-logger.js';
export type { OutputHandlerOptions } from './board-logger.js';
export { globalStepFromEngine } from './global-step.js';
export type { GlobalStepTransform } from './global-step.js';
