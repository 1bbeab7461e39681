/**
 * Argument checks shared by the schedulers (internal, not re-exported). Every message names the
 * scheduler, the argument, what was expected and what was received.
 * @module
 * @internal
 */
import { ArgumentError, describe } from '../../errors.js';
import type { ParamGroup, SchedulableOptimizer } from './scheduler.js';

/** What a number must be: a named kind or an inclusive range. */
export type NumberRule = 'finite' | 'positive' | 'nonNegative' | 'int' | 'positiveInt' | 'nonNegativeInt' | readonly [number, number];

const EXPECTED: Record<Exclude<NumberRule, readonly [number, number]>, string> = {
  finite: 'a finite number',
  positive: 'a positive number',
  nonNegative: 'a number >= 0',
  int: 'an integer',
  positiveInt: 'a positive integer',
  nonNegativeInt: 'an integer >= 0',
};

function fits(value: number, rule: NumberRule): boolean {
  if (!Number.isFinite(value)) return false;
  if (typeof rule !== 'string') return value >= rule[0] && value <= rule[1];
  switch (rule) {
    case 'finite':
      return true;
    case 'positive':
      return value > 0;
    case 'nonNegative':
      return value >= 0;
    case 'int':
      return Number.isInteger(value);
    case 'positiveInt':
      return Number.isInteger(value) && value > 0;
    case 'nonNegativeInt':
      return Number.isInteger(value) && value >= 0;
  }
}

/** Returns `value` when it is a number that fits `rule`, else throws an ArgumentError. */
export function checkNumber(where: string, name: string, value: unknown, rule: NumberRule): number {
  if (typeof value === 'number' && fits(value, rule)) return value;
  const expected = typeof rule === 'string' ? EXPECTED[rule] : `a number in [${rule[0]}, ${rule[1]}]`;
  throw new ArgumentError(`${where}(): ${name} must be ${expected} (got ${describe(value)})`);
}

/** Returns `value` when it is one of `choices`, else throws an ArgumentError. */
export function checkChoice<T extends string>(where: string, name: string, value: unknown, choices: readonly T[]): T {
  if (choices.includes(value as T)) return value as T;
  throw new ArgumentError(`${where}(): ${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')} (got ${describe(value)})`);
}

/** Returns the optimizer when it has param groups with a numeric `lr`, else throws. */
export function checkOptimizer(where: string, optimizer: unknown): SchedulableOptimizer {
  const groups = (optimizer as { paramGroups?: unknown } | null | undefined)?.paramGroups;
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new ArgumentError(`${where}(): optimizer must be an optimizer with a non-empty paramGroups array (got ${describe(optimizer)})`);
  }
  groups.forEach((g: unknown, i) => {
    const lr = (g as ParamGroup | null)?.lr;
    if (typeof lr !== 'number') {
      throw new ArgumentError(`${where}(): optimizer.paramGroups[${i}].lr must be a number (got ${describe(lr)})`);
    }
  });
  return optimizer as SchedulableOptimizer;
}

/**
 * One value per param group (PyTorch's `_format_param`): a number is repeated, an array must have
 * one entry per group.
 */
export function perGroup(where: string, name: string, optimizer: SchedulableOptimizer, value: unknown, rule: NumberRule = 'finite'): number[] {
  const n = optimizer.paramGroups.length;
  if (Array.isArray(value)) {
    if (value.length !== n) {
      throw new ArgumentError(`${where}(): ${name} must have one value per param group, ${n} (got ${value.length} values)`);
    }
    return value.map((v, i) => checkNumber(where, `${name}[${i}]`, v, rule));
  }
  return new Array<number>(n).fill(checkNumber(where, name, value, rule));
}

/** One function per param group: a function is repeated, an array must have one per group. */
export function perGroupFn<F>(where: string, name: string, optimizer: SchedulableOptimizer, value: unknown): F[] {
  const n = optimizer.paramGroups.length;
  const fns = Array.isArray(value) ? value : new Array<unknown>(n).fill(value);
  if (fns.length !== n) {
    throw new ArgumentError(`${where}(): ${name} must be a function or one function per param group, ${n} (got ${fns.length} functions)`);
  }
  fns.forEach((f, i) => {
    if (typeof f !== 'function') {
      throw new ArgumentError(`${where}(): ${name}${Array.isArray(value) ? `[${i}]` : ''} must be a function (got ${describe(f)})`);
    }
  });
  return fns as F[];
}

/** Returns the options object (or `{}` when undefined), else throws. */
export function checkOptions<T extends object>(where: string, options: T | undefined): T {
  if (options === undefined) return {} as T;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ArgumentError(`${where}(): options must be an object (got ${describe(options)})`);
  }
  return options;
}
