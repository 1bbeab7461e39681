/**
 * Weights enums against torchvision 0.14's (fixtures/models-weights.json) and the loading path:
 * files given as `weights` or `weightsPath`, the cache folder, and the errors.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ArgumentError, StateDictError, saveSync, tensor } from '@flint/core';
import * as models from './index.js';
import { densenetKey } from './densenet.js';
import { vitKey } from './vision-transformer.js';

interface WeightsFixture {
  categories: string[];
  enums: Record<
    string,
    {
      tsName: string;
      model: string;
      factory: string;
      default: string;
      entries: Record<
        string,
        {
          name: string;
          url: string;
          transforms: { cropSize: number; resizeSize: number; mean: number[]; std: number[]; interpolation: string };
          numParams: number;
          minSize: number[];
          recipe: string;
          metrics: Record<string, Record<string, number | null>>;
          hasCategories: boolean;
          license?: string;
        }
      >;
    }
  >;
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/models-weights.json', import.meta.url), 'utf8')) as WeightsFixture;
const enums = models as unknown as Record<string, models.WeightsEnum>;
const squeezeFile = fileURLToPath(new URL('../../fixtures/models-squeezenet1_1.safetensors', import.meta.url));
const lenetFile = fileURLToPath(new URL('../../fixtures/models-lenet5.safetensors', import.meta.url));

const tmp = mkdtempSync(join(tmpdir(), 'flint-vision-weights-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const savedHome = process.env.FLINT_HOME;
afterEach(() => {
  if (savedHome === undefined) delete process.env.FLINT_HOME;
  else process.env.FLINT_HOME = savedHome;
});

describe('weights enums equal torchvision 0.14', () => {
  for (const [pyName, e] of Object.entries(fixture.enums)) {
    it(`${e.tsName} (${pyName})`, () => {
      const en = enums[e.tsName];
      expect(en, `${e.tsName} is exported`).toBeDefined();
      expect(Object.keys(en!)).toEqual([...Object.keys(e.entries), 'DEFAULT']);
      expect(en!.DEFAULT).toBe(en![e.default]);
      expect(Object.isFrozen(en)).toBe(true);
      for (const [key, w] of Object.entries(e.entries)) {
        const got = en![key]!;
        expect(got).toBeInstanceOf(models.Weights);
        expect(got.name).toBe(w.name);
        expect(String(got)).toBe(w.name);
        expect(got.url).toBe(w.url);
        expect(got.fileName).toBe(w.url.split('/').pop()!.replace(/\.pth$/, '.safetensors'));
        expect(got.transforms).toEqual(w.transforms);
        expect(got.meta.numParams).toBe(w.numParams);
        expect(got.meta.minSize).toEqual(w.minSize);
        expect(got.meta.recipe).toBe(w.recipe);
        expect(got.meta.metrics).toEqual(w.metrics);
        expect(got.meta.license).toBe(w.license);
        expect(got.meta.categories).toEqual(w.hasCategories ? fixture.categories : null);
      }
      expect(models.getModelWeights(e.model)).toBe(en);
      expect(models.getWeight(`${pyName}.${e.default}`)).toBe(en!.DEFAULT);
    });
  }

  it('IMAGENET_CATEGORIES is torchvision\'s list of 1000 labels', () => {
    expect(models.IMAGENET_CATEGORIES).toEqual(fixture.categories);
    expect(models.IMAGENET_CATEGORIES.length).toBe(1000);
    expect(models.IMAGENET_CATEGORIES[0]).toBe('tench');
    expect(Object.isFrozen(models.IMAGENET_CATEGORIES)).toBe(true);
  });

  it('getWeight() and getModelWeights() reject unknown names, naming what is accepted', () => {
    expect(() => models.getWeight('ResNet18_Weights.NOPE')).toThrow(/getWeight\(\): unknown weights "ResNet18_Weights.NOPE"/);
    expect(() => models.getWeight('resnet18')).toThrow(ArgumentError);
    expect(() => models.getModelWeights('lenet5')).toThrow(/getModelWeights\(\): lenet5 has no pretrained weights/);
    expect(() => models.getModelWeights('resnet19')).toThrow(/getModelWeights\(\): unknown model "resnet19"; one of alexnet, /);
    expect(() => models.getModel('resnet_18')).toThrow(/getModel\(\): unknown model "resnet_18"/);
  });
});

describe('loading weights', () => {
  it('weights: a path loads a state dict; getModel passes options through', () => {
    const a = models.lenet5({ weights: lenetFile });
    const b = models.getModel('lenet5', { weights: lenetFile }) as models.LeNet5;
    try {
      expect(a.conv1.weight.tolist()).toEqual(b.conv1.weight.tolist());
      expect(a.fc3.bias!.abs().sum().item()).toBeGreaterThan(0);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('a file saved by Flint from a model loads back into the same factory', () => {
    const src = models.lenet5({ numClasses: 3 });
    const file = join(tmp, 'lenet3.safetensors');
    saveSync(src.stateDict(), file);
    const back = models.lenet5({ numClasses: 3, weights: file });
    try {
      for (const [k, t] of Object.entries(src.stateDict())) expect(back.stateDict()[k]!.tolist()).toEqual(t.tolist());
    } finally {
      src.dispose();
      back.dispose();
    }
  });

  it('a weights entry without weightsPath is looked for in $FLINT_HOME/hub/checkpoints under its file name', () => {
    process.env.FLINT_HOME = join(tmp, 'home');
    const w = models.SqueezeNet1_1Weights.IMAGENET1K_V1;
    expect(models.weightsDir()).toBe(join(tmp, 'home', 'hub', 'checkpoints'));
    expect(models.weightsFile(w)).toBe(join(tmp, 'home', 'hub', 'checkpoints', 'squeezenet1_1-b8a52dc0.safetensors'));
    let err: unknown;
    try {
      models.squeezenet1_1({ weights: w });
    } catch (e) {
      err = e;
    }
    expect(models.WeightsError.isInstance(err)).toBe(true);
    const msg = (err as Error).message;
    expect(msg).toContain('squeezenet1_1(): cannot load the pretrained weights SqueezeNet1_1_Weights.IMAGENET1K_V1');
    expect(msg).toContain(`looked for ${models.weightsFile(w)}`);
    expect(msg).toContain(`vision_export_weights.py --model squeezenet1_1 --weights IMAGENET1K_V1 --out ${models.weightsFile(w)}`);
    expect(msg).toContain('safetensors.torch as st');
    expect(msg).toContain('weights: SqueezeNet1_1Weights.IMAGENET1K_V1, weightsPath:');

    mkdirSync(models.weightsDir(), { recursive: true });
    copyFileSync(squeezeFile, models.weightsFile(w));
    const net = models.squeezenet1_1({ weights: w });
    expect(net.num_classes).toBe(1000);
    net.dispose();
  });

  it('a missing weightsPath names the path and the conversion', () => {
    const path = join(tmp, 'nope.safetensors');
    expect(() => models.resnet18({ weights: models.ResNet18Weights.DEFAULT, weightsPath: path })).toThrow(
      new RegExp(`resnet18\\(\\): cannot load the pretrained weights ResNet18_Weights.IMAGENET1K_V1: weightsPath ${path} does not exist`),
    );
    expect(() => models.mobilenetV3Small({ weights: models.MobileNetV3SmallWeights.DEFAULT, weightsPath: path })).toThrow(/--model mobilenet_v3_small --weights IMAGENET1K_V1/);
  });

  it('a weights entry of another model, or anything else, is an ArgumentError listing the accepted entries', () => {
    expect(() => models.resnet18({ weights: models.ResNet50Weights.DEFAULT as never })).toThrow(
      /resnet18\(\): weights must be one of ResNet18Weights.IMAGENET1K_V1, ResNet18Weights.DEFAULT, or a file path \(got ResNet50Weights.IMAGENET1K_V2\)/,
    );
    expect(() => models.resnet18({ weights: 42 as never })).toThrow(ArgumentError);
    expect(() => models.lenet5({ weights: models.ResNet18Weights.DEFAULT as never })).toThrow(/lenet5\(\): weights must be a file path; this model has no pretrained weights \(got ResNet18Weights.IMAGENET1K_V1\)/);
    expect(() => models.resnet18({ weights: '' })).toThrow(/resnet18\(\): weights must be a weights entry or a non-empty file path/);
  });

  it('numClasses must agree with the weights\' categories; weightsPath needs weights; not both paths', () => {
    expect(() => models.resnet18({ weights: models.ResNet18Weights.DEFAULT, numClasses: 10, weightsPath: squeezeFile })).toThrow(
      /resnet18\(\): numClasses must be 1000 with ResNet18_Weights.IMAGENET1K_V1 \(got 10\)/,
    );
    expect(() => models.resnet18({ weightsPath: squeezeFile })).toThrow(/resnet18\(\): weightsPath is given but weights is not/);
    expect(() => models.resnet18({ weights: squeezeFile, weightsPath: squeezeFile })).toThrow(/not both/);
    expect(() => models.resnet18({ numClasses: 0 })).toThrow(/resnet18\(\): numClasses must be a positive integer \(got 0\)/);
  });

  it('a state dict of another model is a StateDictError naming the factory, the file and the keys', () => {
    let err: unknown;
    try {
      models.resnet18({ weights: squeezeFile });
    } catch (e) {
      err = e;
    }
    expect(StateDictError.isInstance(err)).toBe(true);
    const msg = (err as Error).message;
    expect(msg).toContain(`resnet18(): the state dict in ${squeezeFile} does not fit ResNet`);
    expect(msg).toContain("missing keys: 'conv1.weight'");
    expect(msg).toContain("unexpected keys: 'features.0.weight'");
  });

  it('a file that holds something other than tensors is a WeightsError', () => {
    const file = join(tmp, 'not-a-state-dict.safetensors');
    saveSync({ epoch: 3, w: tensor([1, 2]) }, file);
    expect(() => models.lenet5({ weights: file })).toThrow(/lenet5\(\): .* does not hold a state dict: 'epoch' is not a tensor/);
  });

  it('old checkpoint key names are renamed as torchvision renames them', () => {
    expect(densenetKey('features.denseblock1.denselayer1.norm.1.weight')).toBe('features.denseblock1.denselayer1.norm1.weight');
    expect(densenetKey('features.denseblock4.denselayer16.conv.2.weight')).toBe('features.denseblock4.denselayer16.conv2.weight');
    expect(densenetKey('features.norm5.running_var')).toBe('features.norm5.running_var');
    expect(vitKey('encoder.layers.encoder_layer_0.mlp.linear_1.weight')).toBe('encoder.layers.encoder_layer_0.mlp.0.weight');
    expect(vitKey('encoder.layers.encoder_layer_11.mlp.linear_2.bias')).toBe('encoder.layers.encoder_layer_11.mlp.3.bias');
    expect(vitKey('heads.head.weight')).toBe('heads.head.weight');
  });
});
