/**
 * `@flint/engine`: the PyTorch-Ignite analog for Flint. An {@link Engine} runs a process function
 * over data and fires {@link Events}; metrics, checkpoints, early stopping, schedulers, progress
 * bars and board logging are handlers attached to those events.
 *
 * @example
 * ```ts
 * import { nn, optim } from '@flint/core';
 * import { Accuracy, Checkpoint, Events, ProgressBar, createSupervisedEvaluator, createSupervisedTrainer } from '@flint/engine';
 *
 * const trainer = createSupervisedTrainer(model, new optim.Adam(model.parameters()), new nn.CrossEntropyLoss());
 * const evaluator = createSupervisedEvaluator(model, { metrics: { accuracy: new Accuracy() } });
 * new ProgressBar().attach(trainer);
 * trainer.on(Events.EPOCH_COMPLETED, async () => { await evaluator.run(valLoader); });
 * trainer.on(Events.EPOCH_COMPLETED, new Checkpoint({ model, trainer }, 'checkpoints', { nSaved: 2 }));
 * await trainer.run(trainLoader, { maxEpochs: 5 });
 * ```
 * @module
 */
export { Events, EventsList, createEvent, flattenEvents, isEventLike } from './events.js';
export type { CallableEvent, EventCounter, EventFilter, EventFilterOptions, EventLike, EventName, FilteredEvent, FilterEngine } from './events.js';
export { State } from './state.js';
export { Engine } from './engine.js';
export type { EngineData, EngineStateDict, ProcessFunction, RunOptions } from './engine.js';
export { EventHost } from './event-host.js';
export type { EventHandler, RemovableHandle } from './event-host.js';
export { createSupervisedTrainer, createSupervisedEvaluator, prepareBatch } from './supervised.js';
export type { PrepareBatch, SupervisedEvaluatorOptions, SupervisedTrainerOptions } from './supervised.js';
export * from './handlers/index.js';
export * from './metrics/index.js';
