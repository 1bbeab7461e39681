/**
 * Every factory builds a model whose state-dict keys, order and shapes are torchvision 0.14's
 * (fixtures/models-keys.json, written by tools/fixtures/vision_models.py), so a torchvision state
 * dict loads by name.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Generator, type nn } from '@flint/core';
import * as models from './index.js';

interface KeysFixture {
  models: Record<string, { torchvision: string | null; numParams: number; keys: [string, number[]][] }>;
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/models-keys.json', import.meta.url), 'utf8')) as KeysFixture;

/**
 * A generator that yields zeros: the key test needs the structure, not the values, and drawing
 * the 3.5 billion random numbers of all the models' initialisations would take minutes.
 */
class ZerosGenerator extends Generator {
  override nextUint32(n: number): Uint32Array {
    return new Uint32Array(n);
  }
  override uniform(n: number): Float32Array {
    return new Float32Array(n);
  }
  override normal(n: number): Float32Array {
    return new Float32Array(n);
  }
}

const factories = models as unknown as Record<string, (o?: object) => nn.Module>;

describe('state-dict keys equal torchvision 0.14', () => {
  for (const [name, expected] of Object.entries(fixture.models)) {
    it(`${name}() (${expected.torchvision ?? 'Flint only'}, ${expected.keys.length} keys)`, () => {
      const net = factories[name]!({ generator: new ZerosGenerator(0) });
      try {
        const got = Object.entries(net.stateDict()).map(([k, t]) => [k, t.shape]);
        expect(got.length).toBe(expected.keys.length);
        expect(got).toEqual(expected.keys);
        expect(net.countParameters()).toBe(expected.numParams);
        for (const [k, t] of Object.entries(net.stateDict())) if (k.endsWith('num_batches_tracked')) expect(t.dtype).toBe('int32');
      } finally {
        net.dispose();
      }
    }, 120_000);
  }
});

describe('the model table', () => {
  it('listModels() names every torchvision model of the fixture, and lenet5', () => {
    const names = Object.values(fixture.models).map((m) => m.torchvision ?? 'lenet5');
    expect(models.listModels()).toEqual([...names].sort());
    expect(models.listModels('resnet')).toEqual(['resnet101', 'resnet152', 'resnet18', 'resnet34', 'resnet50', 'wide_resnet101_2', 'wide_resnet50_2']);
  });

  it('getModelBuilder() maps each torchvision name to the factory of the camelCase name', () => {
    for (const [flintName, m] of Object.entries(fixture.models)) {
      expect(models.getModelBuilder(m.torchvision ?? 'lenet5')).toBe(factories[flintName]);
    }
  });
});
