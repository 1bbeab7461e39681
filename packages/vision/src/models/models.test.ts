/**
 * Forward shapes on small inputs, torchvision's default initialisation, the shared layers and the
 * argument errors.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Generator, ShapeError, arange, nn, noGrad, randn, scope, testing, type Tensor } from '@flint/core';
import * as models from './index.js';
import { makeDivisible } from './layers.js';

type Net = nn.AnyModule;

function outShape(net: Net, shape: number[], train = false): number[] {
  net.train(train);
  return scope(() => noGrad(() => (net(randn(shape, { generator: new Generator(5) })) as Tensor).shape));
}

function std(t: Tensor): number {
  return t.std().item();
}

describe('forward shapes', () => {
  const cases: [string, () => Net, number[], number[]][] = [
    ['lenet5', () => models.lenet5(), [3, 1, 32, 32], [3, 10]],
    ['resnet18 (10 classes)', () => models.resnet18({ numClasses: 10 }), [2, 3, 64, 64], [2, 10]],
    ['resnext50_32x4d', () => models.resnext50_32x4d({ numClasses: 7 }), [2, 3, 32, 32], [2, 7]],
    ['mobilenetV2 (widthMult 0.5)', () => models.mobilenetV2({ numClasses: 4, widthMult: 0.5 }), [2, 3, 40, 40], [2, 4]],
    ['mobilenetV3Small', () => models.mobilenetV3Small(), [2, 3, 64, 64], [2, 1000]],
    ['efficientnetB0', () => models.efficientnetB0({ numClasses: 3 }), [2, 3, 48, 48], [2, 3]],
    ['efficientnetV2S', () => models.efficientnetV2S({ numClasses: 3 }), [2, 3, 64, 64], [2, 3]],
    ['densenet121', () => models.densenet121({ numClasses: 5 }), [2, 3, 40, 40], [2, 5]],
    ['squeezenet1_0', () => models.squeezenet1_0({ numClasses: 6 }), [2, 3, 48, 48], [2, 6]],
    ['shufflenetV2X1_0', () => models.shufflenetV2X1_0({ numClasses: 2 }), [2, 3, 64, 64], [2, 2]],
    ['vitB16 (imageSize 32)', () => models.vitB16({ numClasses: 10, imageSize: 32 }), [2, 3, 32, 32], [2, 10]],
  ];
  for (const [name, make, input, output] of cases) {
    it(`${name}: [${input.join(', ')}] -> [${output.join(', ')}] in eval and train mode`, () => {
      const net = make();
      try {
        expect(outShape(net, input)).toEqual(output);
        expect(outShape(net, input, true)).toEqual(output);
      } finally {
        net.dispose();
      }
    }, 60_000);
  }

  it('resnet50 with replaceStrideWithDilation keeps layer4 at 1/16 of the input', () => {
    const net = models.resnet50({ numClasses: 2, replaceStrideWithDilation: [false, false, true] });
    try {
      net.eval();
      const shape = scope(() => noGrad(() => net.layer4(net.layer3(net.layer2(net.layer1(net.maxpool(net.conv1(randn([1, 3, 64, 64])))))))).shape);
      expect(shape).toEqual([1, 2048, 4, 4]);
      expect((net.layer4.at(1) as models.Bottleneck).conv2.dilation).toEqual([2, 2]);
    } finally {
      net.dispose();
    }
  });

  it('input sizes the model cannot take are ShapeErrors that say what is expected', () => {
    const lenet = models.lenet5();
    const vit = models.vitB32({ imageSize: 64 });
    try {
      expect(() => lenet(randn([1, 1, 28, 28]))).toThrow(/LeNet5.forward\(\): input must be \[N, 1, 32, 32\] \(got \[1, 1, 28, 28\]\); pad 28x28 images by 2/);
      expect(() => vit(randn([1, 3, 32, 32]))).toThrow(ShapeError);
      expect(() => vit(randn([1, 3, 32, 32]))).toThrow(/expected input \[N, 3, 64, 64\] \(imageSize 64\)/);
    } finally {
      lenet.dispose();
      vit.dispose();
    }
  });
});

describe('memory', () => {
  it('building, loading weights, a forward pass in scope() and dispose() leave no tensor behind', () => {
    const file = fileURLToPath(new URL('../../fixtures/models-shufflenet_v2_x0_5.safetensors', import.meta.url));
    testing.expectNoLeak(() => {
      const net = models.shufflenetV2X0_5({ numClasses: 10, weights: file });
      net.eval();
      scope(() => noGrad(() => net(randn([1, 3, 32, 32]))).dataSync());
      net.dispose();
    });
    testing.expectNoLeak(() => {
      const vit = models.vitB16({ imageSize: 32, numClasses: 2 });
      scope(() => vit(randn([1, 3, 32, 32])).sum().backward());
      vit.dispose();
    });
    testing.expectNoLeak(() => {
      expect(() => models.lenet5({ weights: file })).toThrow(/does not fit LeNet5/);
    });
  }, 60_000);
});

describe('initialisation as torchvision', () => {
  it('ResNet: kaiming-normal fan_out convolutions, batch norms at 1 and 0, zeroInitResidual', () => {
    const net = models.resnet18({ generator: new Generator(0), zeroInitResidual: true });
    try {
      // fan_out of conv1: 64 * 7 * 7; gain sqrt(2).
      expect(std(net.conv1.weight)).toBeCloseTo(Math.sqrt(2 / (64 * 49)), 3);
      expect(std((net.layer3.at(0) as models.BasicBlock).conv2.weight)).toBeCloseTo(Math.sqrt(2 / (256 * 9)), 3);
      const bn1 = net.bn1 as nn.BatchNorm2d;
      expect(bn1.weight!.min().item()).toBe(1);
      expect(bn1.bias!.abs().max().item()).toBe(0);
      for (const m of net.modules()) if (m instanceof models.BasicBlock) expect((m.bn2 as nn.BatchNorm2d).weight!.abs().max().item()).toBe(0);
      expect((net.layer1.at(0) as models.BasicBlock).bn1.stateDict()['weight']!.min().item()).toBe(1);
    } finally {
      net.dispose();
    }
    const b = models.resnet50({ zeroInitResidual: true });
    try {
      for (const m of b.modules()) if (m instanceof models.Bottleneck) expect((m.bn3 as nn.BatchNorm2d).weight!.abs().max().item()).toBe(0);
    } finally {
      b.dispose();
    }
  });

  it('SqueezeNet: N(0, 0.01) final convolution, zero biases; MobileNetV2: N(0, 0.01) linear', () => {
    const sq = models.squeezenet1_1({ generator: new Generator(1) });
    const mb = models.mobilenetV2({ generator: new Generator(2) });
    try {
      const final = sq.classifier.at(1) as nn.Conv2d;
      expect(std(final.weight)).toBeCloseTo(0.01, 3);
      expect(final.bias!.abs().max().item()).toBe(0);
      // kaiming_uniform_ with a = 0: bound sqrt(6 / fan_in), fan_in 3 * 3 * 3.
      const first = sq.features.at(0) as nn.Conv2d;
      expect(first.weight.abs().max().item()).toBeLessThanOrEqual(Math.sqrt(6 / 27));
      expect(std(first.weight)).toBeCloseTo(Math.sqrt(2 / 27), 1);
      const lin = mb.classifier.at(1) as nn.Linear;
      expect(std(lin.weight)).toBeCloseTo(0.01, 3);
      expect(lin.bias!.abs().max().item()).toBe(0);
    } finally {
      sq.dispose();
      mb.dispose();
    }
  });

  it('ViT: zero head, N(0, 0.02) position embeddings, zero class token; EfficientNet: U(-1/sqrt(out), 1/sqrt(out)) linear', () => {
    const vit = models.vitB32({ imageSize: 64, generator: new Generator(3) });
    const eff = models.efficientnetB0({ numClasses: 100, generator: new Generator(4) });
    try {
      expect(vit.heads.stateDict()['head.weight']!.abs().max().item()).toBe(0);
      expect(vit.class_token.abs().max().item()).toBe(0);
      expect(std(vit.encoder.pos_embedding)).toBeCloseTo(0.02, 2);
      const w = (eff.classifier.at(1) as nn.Linear).weight;
      expect(w.abs().max().item()).toBeLessThanOrEqual(0.1);
      expect(w.abs().max().item()).toBeGreaterThan(0.09);
    } finally {
      vit.dispose();
      eff.dispose();
    }
  });

  it('the same generator seed gives the same weights; another seed different ones', () => {
    const a = models.mobilenetV3Small({ generator: new Generator(7) });
    const b = models.mobilenetV3Small({ generator: new Generator(7) });
    const c = models.mobilenetV3Small({ generator: new Generator(8) });
    try {
      const key = 'features.4.block.2.fc1.weight';
      expect(a.stateDict()[key]!.tolist()).toEqual(b.stateDict()[key]!.tolist());
      expect(a.stateDict()[key]!.tolist()).not.toEqual(c.stateDict()[key]!.tolist());
    } finally {
      for (const n of [a, b, c]) n.dispose();
    }
  });
});

describe('layers', () => {
  it('makeDivisible rounds as torchvision\'s _make_divisible', () => {
    // Values from torchvision.models._utils._make_divisible.
    expect([makeDivisible(32 * 0.5, 8), makeDivisible(1280 * 1.4, 8), makeDivisible(35.2, 8), makeDivisible(3, 8), makeDivisible(67, 8), makeDivisible(20, 16)]).toEqual([
      16, 1792, 32, 8, 64, 32,
    ]);
  });

  it('channelShuffle interleaves the groups', () => {
    const x = arange(6).reshape(1, 6, 1, 1);
    expect(models.channelShuffle(x, 2).flatten().tolist()).toEqual([0, 3, 1, 4, 2, 5]);
    expect(models.channelShuffle(x, 3).flatten().tolist()).toEqual([0, 2, 4, 1, 3, 5]);
    expect(() => models.channelShuffle(x, 4)).toThrow(/channelShuffle\(\): x must be \[N, C, H, W\] with C divisible by groups 4/);
  });

  it('StochasticDepth: identity in eval; in training, whole rows dropped and the rest scaled by 1 / (1 - p)', () => {
    const sd = new models.StochasticDepth(0.5, 'row', { generator: new Generator(0) });
    const x = randn([64, 3, 2, 2]).abs().add(1);
    sd.eval();
    expect(sd(x)).toBe(x);
    sd.train();
    const y = sd(x).div(x);
    const rows = y.reshape(64, 12);
    const first = rows.narrow(1, 0, 1);
    expect(rows.sub(first).abs().max().item()).toBeLessThan(1e-6);
    const vals = (first.flatten().tolist() as number[]).map((v) => Math.round(v * 1e4) / 1e4);
    expect(new Set(vals)).toEqual(new Set([0, 2]));
    expect(() => new models.StochasticDepth(1.5, 'row')).toThrow(/StochasticDepth\(\): p must be a probability in \[0, 1\] \(got 1.5\)/);
    expect(() => new models.StochasticDepth(0.1, 'col' as never)).toThrow(/mode must be 'row' or 'batch'/);
  });

  it('Conv2dNormActivation keys and padding follow torchvision', () => {
    const m = new models.Conv2dNormActivation(8, 16, { kernelSize: 5, stride: 2, activationLayer: () => new nn.Hardswish() });
    expect(Object.keys(m.stateDict())).toEqual(['0.weight', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked']);
    expect((m.at(0) as nn.Conv2d).padding).toEqual([2, 2]);
    expect((m.at(2) as nn.Module).constructor.name).toBe('Hardswish');
    expect(m.outChannels).toBe(16);
    const noNorm = new models.Conv2dNormActivation(8, 16, { normLayer: null, activationLayer: null });
    expect(Object.keys(noNorm.stateDict())).toEqual(['0.weight', '0.bias']);
    expect(noNorm.length).toBe(1);
  });

  it('DenseNet and ShuffleNet blocks check their arguments', () => {
    expect(() => new models.ShuffleNetV2Block(24, 116, 1)).toThrow(/ShuffleNetV2Block\(\): with stride 1, inp \(24\) must equal oup \(116\) rounded down to even/);
    expect(() => new models.BasicBlock(64, 64, { groups: 2 })).toThrow(/BasicBlock\(\): only groups 1 and baseWidth 64 are supported/);
    expect(() => new models.ResNet(models.BasicBlock, [2, 2, 2] as never)).toThrow(/ResNet\(\): layers must list 4 block counts/);
    expect(() => new models.SqueezeNet('1_2' as never)).toThrow(/SqueezeNet\(\): version must be '1_0' or '1_1' \(got "1_2"\)/);
    expect(() => models.resnext50_32x4d({ groups: 8 } as never)).toThrow(/resnext50_32x4d\(\): groups is fixed at 32 for this model \(got 8\)/);
    const anyFile = fileURLToPath(new URL('../../fixtures/models-lenet5.safetensors', import.meta.url));
    expect(() => models.vitB16({ weights: models.ViTB16Weights.IMAGENET1K_SWAG_E2E_V1, imageSize: 224, weightsPath: anyFile })).toThrow(
      /vitB16\(\): imageSize must be 384 with ViT_B_16_Weights.IMAGENET1K_SWAG_E2E_V1 \(got 224\)/,
    );
    expect(() => new models.LeNet5({ activation: 'gelu' as never })).toThrow(/LeNet5\(\): activation must be 'relu' or 'tanh' \(got "gelu"\)/);
  });
});
