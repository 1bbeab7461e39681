import { describe, expect, it } from 'vitest';
import { ArgumentError, rand, randn, tensor, type Tensor } from '../../index.js';
import { assertClose } from '../../testing/index.js';
import { logSoftmax } from '../functional/activation.js';
import * as F from '../functional/loss.js';
import {
  BCELoss,
  BCEWithLogitsLoss,
  CosineEmbeddingLoss,
  CrossEntropyLoss,
  CTCLoss,
  GaussianNLLLoss,
  HuberLoss,
  KLDivLoss,
  L1Loss,
  Loss,
  MarginRankingLoss,
  MSELoss,
  MultiLabelMarginLoss,
  MultiLabelSoftMarginLoss,
  NLLLoss,
  PoissonNLLLoss,
  SmoothL1Loss,
  SoftMarginLoss,
  TripletMarginLoss,
} from './loss.js';

const ints = (v: number[] | number[][]): Tensor => tensor(v, { dtype: 'int32' });

describe('loss modules', () => {
  const x = randn([4, 3]);
  const y = randn([4, 3]);
  const p = rand([4, 3]).mul(0.9).add(0.05);
  const t01 = rand([4, 3]).gt(0.5).float();
  const labels = ints([0, 2, 1, 2]);
  const signs = tensor([1, -1, -1, 1]);
  const w = tensor([0.5, 1, 2]);

  const cases: [string, () => Tensor, () => Tensor][] = [
    ['L1Loss', () => new L1Loss({ reduction: 'sum' })(x, y), () => F.l1Loss(x, y, { reduction: 'sum' })],
    ['MSELoss', () => new MSELoss()(x, y), () => F.mseLoss(x, y)],
    ['SmoothL1Loss', () => new SmoothL1Loss({ beta: 0.3, reduction: 'none' })(x, y), () => F.smoothL1Loss(x, y, { beta: 0.3, reduction: 'none' })],
    ['HuberLoss', () => new HuberLoss({ delta: 0.4 })(x, y), () => F.huberLoss(x, y, { delta: 0.4 })],
    ['BCELoss', () => new BCELoss({ weight: w })(p, t01), () => F.binaryCrossEntropy(p, t01, { weight: w })],
    ['BCEWithLogitsLoss', () => new BCEWithLogitsLoss({ weight: w, posWeight: w.mul(2) })(x, t01), () => F.binaryCrossEntropyWithLogits(x, t01, { weight: w, posWeight: w.mul(2) })],
    ['CrossEntropyLoss', () => new CrossEntropyLoss({ weight: w, ignoreIndex: 1, labelSmoothing: 0.2 })(x, labels), () => F.crossEntropy(x, labels, { weight: w, ignoreIndex: 1, labelSmoothing: 0.2 })],
    ['NLLLoss', () => new NLLLoss({ weight: w, reduction: 'none' })(logSoftmax(x, 1), labels), () => F.nllLoss(logSoftmax(x, 1), labels, { weight: w, reduction: 'none' })],
    ['KLDivLoss', () => new KLDivLoss({ reduction: 'batchmean', logTarget: true })(logSoftmax(x, 1), logSoftmax(y, 1)), () => F.klDiv(logSoftmax(x, 1), logSoftmax(y, 1), { reduction: 'batchmean', logTarget: true })],
    ['MarginRankingLoss', () => new MarginRankingLoss({ margin: 0.5 })(x.sum(1), y.sum(1), signs), () => F.marginRankingLoss(x.sum(1), y.sum(1), signs, { margin: 0.5 })],
    ['MultiLabelMarginLoss', () => new MultiLabelMarginLoss()(x, ints([[0, -1, 0], [2, 1, -1], [1, -1, 2], [-1, 0, 0]])), () => F.multilabelMarginLoss(x, ints([[0, -1, 0], [2, 1, -1], [1, -1, 2], [-1, 0, 0]]))],
    ['SoftMarginLoss', () => new SoftMarginLoss({ reduction: 'sum' })(x.sum(1), signs), () => F.softMarginLoss(x.sum(1), signs, { reduction: 'sum' })],
    ['MultiLabelSoftMarginLoss', () => new MultiLabelSoftMarginLoss({ weight: w })(x, t01), () => F.multilabelSoftMarginLoss(x, t01, { weight: w })],
    ['CosineEmbeddingLoss', () => new CosineEmbeddingLoss({ margin: 0.1 })(x, y, signs), () => F.cosineEmbeddingLoss(x, y, signs, { margin: 0.1 })],
    ['TripletMarginLoss', () => new TripletMarginLoss({ margin: 2, p: 1, swap: true })(x, y, p), () => F.tripletMarginLoss(x, y, p, { margin: 2, p: 1, swap: true })],
    ['PoissonNLLLoss', () => new PoissonNLLLoss({ logInput: false, full: true })(p, t01.mul(3)), () => F.poissonNllLoss(p, t01.mul(3), { logInput: false, full: true })],
    ['GaussianNLLLoss', () => new GaussianNLLLoss({ full: true })(x, y, p), () => F.gaussianNllLoss(x, y, p, { full: true })],
    [
      'CTCLoss',
      () => new CTCLoss({ blank: 2, reduction: 'sum' })(logSoftmax(randnFixed(), 2), ints([[0, 1], [1, 1]]), [5, 4], [2, 1]),
      () => F.ctcLoss(logSoftmax(randnFixed(), 2), ints([[0, 1], [1, 1]]), [5, 4], [2, 1], { blank: 2, reduction: 'sum' }),
    ],
  ];
  const fixed = randn([5, 2, 3]);
  function randnFixed(): Tensor {
    return fixed;
  }

  for (const [name, viaModule, viaFunction] of cases) {
    it(`${name} equals its functional form`, () => {
      const a = viaModule();
      const b = viaFunction();
      expect(a.shape).toEqual(b.shape);
      assertClose(a, b);
    });
  }

  it('keep class weights as buffers under PyTorch names', () => {
    expect(Object.keys(new CrossEntropyLoss({ weight: tensor([1, 2]) }).stateDict())).toEqual(['weight']);
    expect(Object.keys(new CrossEntropyLoss().stateDict())).toEqual([]);
    const bce = new BCEWithLogitsLoss({ posWeight: tensor([3]) });
    expect(Object.keys(bce.stateDict())).toEqual(['pos_weight']);
    expect(bce.posWeight).toBe(bce.pos_weight);
    expect([...new NLLLoss({ weight: tensor([1, 2]) }).parameters()]).toEqual([]);
  });

  it('check reduction when made, naming the class', () => {
    expect(() => new MSELoss({ reduction: 'avg' as never })).toThrow(ArgumentError);
    expect(() => new CrossEntropyLoss({ reduction: 'elementwise_mean' as never })).toThrow(`CrossEntropyLoss(): reduction must be 'mean', 'sum' or 'none' (got "elementwise_mean")`);
    expect(() => new KLDivLoss({ reduction: 'batch' as never })).toThrow(/KLDivLoss\(\): reduction must be 'mean', 'sum', 'none' or 'batchmean'/);
    expect(new KLDivLoss({ reduction: 'batchmean' }).reduction).toBe('batchmean');
  });

  it('are Modules that print as PyTorch prints them and back-propagate', () => {
    const ce = new CrossEntropyLoss();
    expect(ce).toBeInstanceOf(Loss);
    expect(ce.toString()).toBe('CrossEntropyLoss()');
    const logits = randn([3, 4], { requiresGrad: true });
    ce(logits, ints([1, 0, 3]) as never).backward();
    expect(logits.grad!.shape).toEqual([3, 4]);
    assertClose(logits.grad!.sum(1), [0, 0, 0], { atol: 1e-6 });
  });
});
