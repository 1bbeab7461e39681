import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, randn, scope, tensor } from '../../index.js';
import { assertClose, expectNoLeak } from '../../testing/index.js';
import { runGolden } from '../../../test/golden.js';
import { cosineSimilarity, normalize, pairwiseDistance } from './distance.js';

runGolden('nn_basic_distance', {
  normalize: (x) => normalize(x),
  normalize_p1_dim0: (x) => normalize(x, { p: 1, dim: 0 }),
  normalize_last_dim: (x) => normalize(x, { dim: -1 }),
  // A zero row is divided by eps: the gradient there is huge and finite differences meaningless.
  normalize_zero_row: { fn: (x) => normalize(x), gradcheck: false },
  cosine_similarity: (a, b) => cosineSimilarity(a, b),
  cosine_similarity_broadcast: (a, b) => cosineSimilarity(a, b),
  cosine_similarity_dim0: (a, b) => cosineSimilarity(a, b, { dim: 0 }),
  // Norms below eps: the value uses eps, the gradient PyTorch's rule (see clampedNorm).
  cosine_similarity_small: { fn: (a, b) => cosineSimilarity(a, b, { dim: 1, eps: 1e-4 }), gradcheck: false },
  pairwise_distance: (a, b) => pairwiseDistance(a, b),
  pairwise_distance_p1: (a, b) => pairwiseDistance(a, b, { p: 1 }),
  pairwise_distance_keepdim: (a, b) => pairwiseDistance(a, b, { keepdim: true }),
  pairwise_distance_broadcast: (a, b) => pairwiseDistance(a, b),
  pairwise_distance_inf: (a, b) => pairwiseDistance(a, b, { p: Infinity }),
});

describe('distances', () => {
  it('normalize gives unit rows and cosineSimilarity of a vector with itself is 1', () => {
    const x = randn([5, 7]);
    assertClose(normalize(x).norm(2, 1), [1, 1, 1, 1, 1], { atol: 1e-6 });
    assertClose(cosineSimilarity(x, x), [1, 1, 1, 1, 1], { atol: 1e-6 });
    assertClose(cosineSimilarity(x, x.neg()), [-1, -1, -1, -1, -1], { atol: 1e-6 });
    assertClose(pairwiseDistance(x, x, { eps: 0 }), [0, 0, 0, 0, 0]);
  });

  it('promotes int inputs in cosineSimilarity and refuses bad arguments', () => {
    assertClose(cosineSimilarity(tensor([[1, 0]], { dtype: 'int32' }), tensor([[1, 1]])), [Math.SQRT1_2], { atol: 1e-6 });
    expect(() => normalize(randn([3]), { dim: 1 })).toThrow(ShapeError);
    expect(() => cosineSimilarity(randn([2, 3]), randn([4, 3]))).toThrow(/cosineSimilarity\(\): shapes \[2, 3\] and \[4, 3\] can't be broadcast/);
    expect(() => pairwiseDistance(randn([2, 3]), tensor([[1, 2, 3]], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => normalize(randn([2, 2]), { p: NaN })).toThrow(/normalize\(\): p must be a number/);
  });

  it('leave no tensors behind', () => {
    const a = randn([4, 3], { requiresGrad: true });
    const b = randn([4, 3], { requiresGrad: true });
    expectNoLeak(() =>
      scope(() => {
        normalize(a).sum().backward();
        cosineSimilarity(a, b).sum().backward();
        pairwiseDistance(a, b).sum().backward();
        a.grad = null;
        b.grad = null;
      }),
    );
  });
});
