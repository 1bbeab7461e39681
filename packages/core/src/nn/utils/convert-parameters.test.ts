import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '../../index.js';
import { ArgumentError, ShapeError, Tensor } from '../../index.js';
import { Parameter } from '../parameter.js';
import { expectNoLeak } from '../../testing/index.js';
import { BACKENDS } from '../../../test/golden.js';
import { parametersToVector, vectorToParameters } from './convert-parameters.js';

function params(): Parameter[] {
  return [
    new Parameter(flint.tensor([[1, 2, 3], [4, 5, 6]])),
    new Parameter(flint.tensor([7])),
    new Parameter(flint.zeros([0])),
    new Parameter(flint.tensor([[[8], [9]]])),
  ];
}

for (const backendName of BACKENDS) {
  describe(`parametersToVector / vectorToParameters [${backendName}]`, () => {
    beforeAll(async () => {
      await flint.setBackend(backendName);
    });

    it('joins the flattened parameters in order, differentiably', () => {
      const ps = params();
      const vec = parametersToVector(ps);
      expect(vec.shape).toEqual([9]);
      expect(vec.tolist()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      vec.mul(flint.arange(9, { dtype: 'float32' })).sum().backward();
      expect(ps[0]!.grad!.tolist()).toEqual([[0, 1, 2], [3, 4, 5]]);
      expect(ps[1]!.grad!.tolist()).toEqual([6]);
      expect(ps[3]!.grad!.tolist()).toEqual([[[7], [8]]]);
      for (const p of ps) {
        p.grad = null;
        p.dispose();
      }
    });

    it('copies a vector back into the parameters, in place', () => {
      const ps = params();
      const shapes = ps.map((p) => p.shape);
      vectorToParameters(flint.arange(10, 19, { dtype: 'float32' }), ps);
      expect(ps.map((p) => p.shape)).toEqual(shapes);
      expect(ps[0]!.tolist()).toEqual([[10, 11, 12], [13, 14, 15]]);
      expect(ps[1]!.tolist()).toEqual([16]);
      expect(ps[3]!.tolist()).toEqual([[[17], [18]]]);
      expect(ps[0]!.requiresGrad).toBe(true);
      expect(ps[0]!.isLeaf).toBe(true);
      // A round trip through a vector restores the values.
      const saved = parametersToVector(ps);
      vectorToParameters(flint.zeros([9]), ps);
      vectorToParameters(saved, ps);
      expect(parametersToVector(ps).tolist()).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18]);
      for (const p of ps) p.dispose();
    });
  });
}

describe('parametersToVector / vectorToParameters', () => {
  it('take a generator, leave no temporaries behind, and validate their arguments', () => {
    const ps = params();
    function* gen(): Generator<Parameter> {
      yield* ps;
    }
    const vec = parametersToVector(gen());
    expectNoLeak(() => {
      parametersToVector(ps).dispose();
      vectorToParameters(vec, gen());
    });
    expect(() => parametersToVector([])).toThrow('parametersToVector(): parameters is empty');
    expect(() => parametersToVector(ps[0] as unknown as Tensor[])).toThrow(ArgumentError);
    expect(() => parametersToVector([ps[0]!, 3] as unknown as Tensor[])).toThrow('parametersToVector(): parameters[1] must be a Tensor (got 3)');
    expect(() => vectorToParameters([1, 2] as unknown as Tensor, ps)).toThrow('vectorToParameters(): vec must be a Tensor (got [1,2])');
    expect(() => vectorToParameters(flint.zeros([3, 3]), ps)).toThrow(ShapeError);
    expect(() => vectorToParameters(flint.zeros([3, 3]), ps)).toThrow('vectorToParameters(): vec must be 1-D (got shape [3, 3])');
    expect(() => vectorToParameters(flint.zeros([8]), ps)).toThrow('vectorToParameters(): vec has 8 elements, but the parameters hold 9 in total');
    for (const p of ps) p.dispose();
  });
});
