/**
 * Fine-tuning as a PyTorch user writes it: freeze a stage, replace the classifier, train a few
 * SGD steps; only the parameters left trainable change.
 */
import { describe, expect, it } from 'vitest';
import { Generator, nn, noGrad, optim, randint, randn, scope, type Tensor } from '@flint/core';
import * as models from './index.js';

function snapshot(net: nn.AnyModule): Map<string, Float32Array> {
  return new Map([...net.namedParameters()].map(([k, p]) => [k, (p.dataSync() as Float32Array).slice()]));
}

function changed(before: Map<string, Float32Array>, net: nn.AnyModule): Set<string> {
  const out = new Set<string>();
  for (const [k, p] of net.namedParameters()) {
    const a = before.get(k);
    const b = p.dataSync() as Float32Array;
    if (a === undefined || a.length !== b.length || a.some((v, i) => v !== b[i])) out.add(k);
  }
  return out;
}

describe('fine-tuning', () => {
  it('resnet18: layer1 frozen, a new fc for 10 classes, 3 SGD steps: only unfrozen parameters change', () => {
    const g = new Generator(0);
    const net = models.resnet18({ generator: g });
    try {
      net.layer1.requiresGrad_(false);
      const oldFc = net.fc;
      net.fc = new nn.Linear(512, 10, { generator: g });
      oldFc.dispose();
      expect(Object.keys(net.stateDict())).toContain('fc.weight');
      expect(net.stateDict()['fc.weight']!.shape).toEqual([10, 512]);

      const trainable = [...net.parameters()].filter((p) => p.requiresGrad);
      const frozen = [...net.layer1.namedParameters({ prefix: 'layer1' })].map(([k]) => k);
      expect(frozen.length).toBe(12);
      expect(trainable.length).toBe([...net.parameters()].length - frozen.length);

      const opt = new optim.SGD(trainable, { lr: 0.05, momentum: 0.9 });
      const before = snapshot(net);
      const runningBefore = (net.layer1.at(0) as models.BasicBlock).bn1.stateDict()['running_mean']!.clone();
      net.train();
      const x = randn([4, 3, 32, 32], { generator: g });
      const y = randint(0, 10, [4], { generator: g });
      const losses: number[] = [];
      for (let step = 0; step < 3; step++) {
        scope(() => {
          opt.zeroGrad();
          const loss = nn.functional.crossEntropy(net(x), y);
          loss.backward();
          opt.step();
          losses.push(loss.item());
        });
      }
      for (const [k, p] of net.layer1.namedParameters({ prefix: 'layer1' })) {
        expect(p.requiresGrad, k).toBe(false);
        expect(p.grad, k).toBeNull();
      }
      const moved = changed(before, net);
      for (const k of frozen) expect(moved.has(k), `${k} is frozen`).toBe(false);
      for (const k of ['conv1.weight', 'bn1.weight', 'layer2.0.conv1.weight', 'layer4.1.bn2.bias', 'fc.weight', 'fc.bias']) {
        expect(moved.has(k), `${k} is trained`).toBe(true);
      }
      expect(moved.size).toBe(trainable.length);
      // Frozen parameters still run in training mode: batch norm statistics keep updating, as in PyTorch.
      const runningAfter = (net.layer1.at(0) as models.BasicBlock).bn1.stateDict()['running_mean']!;
      expect(runningAfter.sub(runningBefore).abs().max().item()).toBeGreaterThan(0);
      runningBefore.dispose();
      expect(losses.every(Number.isFinite)).toBe(true);
      x.dispose();
      y.dispose();
    } finally {
      net.dispose();
    }
  });

  it('mobilenetV3Small: the whole feature extractor frozen, classifier.3 replaced: only the classifier trains', () => {
    const g = new Generator(1);
    const net = models.mobilenetV3Small({ generator: g });
    try {
      net.features.requiresGrad_(false);
      net.classifier.set(3, new nn.Linear(1024, 5, { generator: g }));
      const trainable = [...net.parameters()].filter((p) => p.requiresGrad);
      expect(trainable.length).toBe(4);
      const opt = new optim.SGD(trainable, { lr: 0.1 });
      const before = snapshot(net);
      net.train();
      const x = randn([2, 3, 64, 64], { generator: g });
      const y = randint(0, 5, [2], { generator: g });
      for (let step = 0; step < 2; step++) {
        scope(() => {
          opt.zeroGrad();
          nn.functional.crossEntropy(net(x) as Tensor, y).backward();
          opt.step();
        });
      }
      expect([...changed(before, net)].sort()).toEqual(['classifier.0.bias', 'classifier.0.weight', 'classifier.3.bias', 'classifier.3.weight']);
      net.eval();
      expect(noGrad(() => net(x)).shape).toEqual([2, 5]);
      x.dispose();
      y.dispose();
    } finally {
      net.dispose();
    }
  });
});
