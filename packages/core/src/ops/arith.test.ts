import * as flint from '../index.js';
import { runGolden } from '../../test/golden.js';

runGolden('arith', {
  add_same: (a, b) => a.add(b),
  add_broadcast: (a, b) => flint.add(a, b),
  add_alpha: (a, b) => a.add(b, { alpha: 2.5 }),
  sub_broadcast: (a, b) => a.sub(b),
  mul_broadcast: (a, b) => a.mul(b),
  mul_scalar: (a) => a.mul(3.5),
  div_broadcast: (a, b) => a.div(b),
  pow_scalar: (a) => a.pow(3),
  pow_tensor: (a, b) => a.pow(b),
  neg: (a) => a.neg(),
  maximum: (a, b) => a.maximum(b),
  minimum: (a, b) => a.minimum(b),
  clamp_both: (a) => a.clamp(-0.5, 0.5),
  where_broadcast: (a, b) => a.where(a.gt(0), b),
  div_int_true: (a, b) => a.div(b),
  div_floor: (a, b) => a.div(b, { roundingMode: 'floor' }),
});
