/**
 * Parity with torchvision 0.14 on the committed fixtures: LeNet-5 (both layouts), SqueezeNet 1.1
 * and ShuffleNetV2 x0.5 (10 classes), random-initialised in PyTorch with realistic batch norm
 * statistics, loaded by name and run in eval mode on the wasm and cpu backends.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as flint from '@flint/core';
import { nn, noGrad, scope, tensor, testing, type Tensor } from '@flint/core';
import * as models from './index.js';

interface Encoded {
  shape: number[];
  data: number[];
}
interface ParityCase {
  model: string;
  options: Record<string, unknown>;
  input: Encoded;
  output: Encoded;
  weights: string;
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/models-parity.json', import.meta.url), 'utf8')) as { cases: Record<string, ParityCase> };
const fixturePath = (file: string): string => fileURLToPath(new URL(`../../fixtures/${file}`, import.meta.url));
const factories = models as unknown as Record<string, (o?: object) => nn.Module>;

/**
 * Outputs within 1e-4 of the largest reference output, the reference being PyTorch's float64
 * forward pass: small logits are checked as tightly as large ones.
 */
function expectClose(y: Tensor, expected: Encoded, message: string): void {
  expect(y.shape).toEqual(expected.shape);
  const maxAbs = expected.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  testing.assertClose(y.flatten(), expected.data, { atol: 1e-4 * maxAbs, rtol: 0, message });
}

function run(net: nn.Module, input: Encoded): Tensor {
  return scope(() => noGrad(() => net(tensor(Float32Array.from(input.data)).reshape(input.shape))));
}

const initial = flint.backend();
afterAll(async () => {
  await flint.setBackend(initial);
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`eval outputs equal torchvision's on the ${backend} backend`, () => {
    for (const [key, c] of Object.entries(fixture.cases)) {
      it(`${key}: ${c.model}(${JSON.stringify(c.options)}) on [${c.input.shape.join(', ')}]`, async () => {
        await flint.setBackend(backend);
        const net = factories[c.model]!({ ...c.options, weights: fixturePath(c.weights) });
        try {
          net.eval();
          const y = run(net, c.input);
          expectClose(y, c.output, key);
          y.dispose();
        } finally {
          net.dispose();
        }
      });
    }
  });
}

describe('loading', () => {
  it('a weights entry with weightsPath loads as torchvision loads IMAGENET1K_V1 (1000 classes)', () => {
    const c = fixture.cases.squeezenet1_1!;
    const net = models.squeezenet1_1({ weights: models.SqueezeNet1_1Weights.IMAGENET1K_V1, weightsPath: fixturePath(c.weights) });
    try {
      net.eval();
      expect(net.num_classes).toBe(1000);
      const y = run(net, c.input);
      expectClose(y, c.output, 'squeezenet1_1 via SqueezeNet1_1Weights');
      y.dispose();
    } finally {
      net.dispose();
    }
  });

  it('the comparison catches a wrong buffer: one running_var changed in stage3 moves the outputs', () => {
    const c = fixture.cases.shufflenet_v2_x0_5!;
    const net = models.shufflenetV2X0_5({ ...c.options, weights: fixturePath(c.weights) });
    try {
      net.eval();
      const rv = net.stateDict()['stage3.0.branch2.1.running_var']!;
      noGrad(() => rv.mul_(4));
      const y = run(net, c.input);
      expect(() => expectClose(y, c.output, 'perturbed')).toThrow(testing.AssertionFailed);
      y.dispose();
    } finally {
      net.dispose();
    }
  });

  it('batch norm buffers and num_batches_tracked (I64 in the file) load as int32', () => {
    const c = fixture.cases.shufflenet_v2_x0_5!;
    const net = models.shufflenetV2X0_5({ ...c.options, weights: fixturePath(c.weights) });
    try {
      const sd = net.stateDict();
      expect(sd['conv1.1.num_batches_tracked']!.dtype).toBe('int32');
      expect(sd['conv1.1.num_batches_tracked']!.item()).toBe(4);
      expect(sd['conv1.1.running_mean']!.abs().sum().item()).toBeGreaterThan(0);
    } finally {
      net.dispose();
    }
  });
});
