/**
 * Parity with torchvision 0.14 for models too big to commit (ResNet-18 is 45 MB): the weights,
 * inputs and eval outputs are written in setup by tools/fixtures/vision_models.py when
 * /usr/bin/python3 has torchvision (Debian: apt-get install python3-torch python3-torchvision);
 * without it these cases are skipped, saying so.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSync, noGrad, scope, tensor, testing, type nn, type Tensor } from '@flint/core';
import * as models from './index.js';

/** The Python with torchvision (FLINT_TORCHVISION_PYTHON overrides it, e.g. to check the skip path). */
const PYTHON = process.env.FLINT_TORCHVISION_PYTHON ?? '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../../../../tools/fixtures/vision_models.py', import.meta.url));
const EXPORT = fileURLToPath(new URL('../../../../tools/fixtures/vision_export_weights.py', import.meta.url));

/** Writes, into the folder argv[1], what the converter tests read: a .pth file, and DenseNet state dicts with the old key names. */
const CONVERTER_SETUP = `
import os, re, sys, torch, torchvision
sys.path.insert(0, os.path.dirname(sys.argv[2]))
from vision_export_weights import write_safetensors
out = sys.argv[1]
torch.manual_seed(0)
torch.save(torchvision.models.squeezenet1_1().state_dict(), os.path.join(out, 'sq.pth'))
torch.manual_seed(0)
sd = torchvision.models.densenet121().state_dict()
# as the 2017 checkpoints: old layer names, no num_batches_tracked
old = {re.sub(r'(denselayer\\d+\\.(?:norm|relu|conv))([12])\\.', r'\\1.\\2.', k): v for k, v in sd.items() if not k.endswith('num_batches_tracked')}
assert any('.norm.1.' in k for k in old)
write_safetensors(old, os.path.join(out, 'densenet-old-keys.safetensors'))
torch.save(old, os.path.join(out, 'densenet-old-keys.pth'))
`;
const CASES = [
  'resnet18', 'resnet50', 'resnext50_32x4d', 'alexnet', 'mobilenet_v2', 'mobilenet_v3_small', 'mobilenet_v3_large',
  'squeezenet1_0', 'densenet121', 'efficientnet_b0', 'shufflenet_v2_x1_0', 'vit_small',
];

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

/** Why the cases cannot run, or null when the fixtures were written to `dir`. */
let unavailable: string | null = null;
let dir = '';

beforeAll(async () => {
  // Asynchronous, so that the test worker stays responsive while Python runs.
  const run = promisify(execFile);
  try {
    await run(PYTHON, ['-c', 'import torch, torchvision']);
  } catch (e) {
    const err = e as { code?: string; stderr?: string; message: string };
    const why = err.code === 'ENOENT' ? `${PYTHON} does not exist` : (err.stderr?.trim().split('\n').pop() ?? err.message);
    unavailable = `needs ${PYTHON} with torch and torchvision to write the fixture (apt-get install python3-torch python3-torchvision): ${why}`;
    return;
  }
  dir = mkdtempSync(join(tmpdir(), 'flint-vision-parity-'));
  const env = { ...process.env, OMP_NUM_THREADS: '2', PYTHONDONTWRITEBYTECODE: '1' };
  await run(PYTHON, [SCRIPT, '--parity', CASES.join(','), '--out', dir], { env, maxBuffer: 1 << 24 });
  await run(PYTHON, ['-c', CONVERTER_SETUP, dir, EXPORT], { env });
  await run(PYTHON, [EXPORT, join(dir, 'sq.pth'), join(dir, 'sq-from-pth.safetensors')], { env });
  await run(PYTHON, [EXPORT, '--model', 'squeezenet1_1', '--seed', '0', '--out', join(dir, 'sq-from-model.safetensors')], { env });
  await run(PYTHON, [EXPORT, join(dir, 'densenet-old-keys.pth'), join(dir, 'densenet-converted.safetensors')], { env });
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function load(key: string): ParityCase & { path: string } {
  const c = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as ParityCase;
  return { ...c, path: join(dir, c.weights) };
}

/** Outputs within 1e-4 of the largest reference output (PyTorch's float64 forward pass). */
function expectClose(y: Tensor, expected: Encoded, message: string): void {
  expect(y.shape).toEqual(expected.shape);
  const maxAbs = expected.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  testing.assertClose(y.flatten(), expected.data, { atol: 1e-4 * maxAbs, rtol: 0, message });
}

function evalOn(net: nn.Module, input: Encoded): Tensor {
  net.eval();
  return scope(() => noGrad(() => net(tensor(Float32Array.from(input.data)).reshape(input.shape))));
}

const factories = models as unknown as Record<string, (o?: object) => nn.Module>;

describe('eval outputs equal torchvision 0.14 (fixtures written by Python in setup)', () => {
  it('resnet18({ weights: ResNet18Weights.IMAGENET1K_V1, weightsPath }) loads a torchvision state dict by name', (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const c = load('resnet18');
    const net = models.resnet18({ weights: models.ResNet18Weights.IMAGENET1K_V1, weightsPath: c.path });
    try {
      const y = evalOn(net, c.input);
      expectClose(y, c.output, 'resnet18');
      y.dispose();
    } finally {
      net.dispose();
    }
  }, 120_000);

  for (const key of CASES.filter((k) => k !== 'resnet18' && k !== 'vit_small')) {
    it(`${key}`, (ctx) => {
      if (unavailable) ctx.skip(unavailable);
      const c = load(key);
      const net = factories[c.model]!({ ...c.options, weights: c.path });
      try {
        const y = evalOn(net, c.input);
        expectClose(y, c.output, key);
        y.dispose();
      } finally {
        net.dispose();
      }
    }, 120_000);
  }

  it('VisionTransformer (2 layers, width 64, 8x8 patches on 32x32) with loadStateDict', (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const c = load('vit_small');
    const net = new models.VisionTransformer(c.options as unknown as models.VisionTransformerOptions);
    const sd = loadSync(c.path) as Record<string, Tensor>;
    try {
      net.loadStateDict(sd);
      const y = evalOn(net, c.input);
      expectClose(y, c.output, 'vit_small');
      y.dispose();
    } finally {
      for (const t of Object.values(sd)) t.dispose();
      net.dispose();
    }
  }, 120_000);
});

describe('tools/fixtures/vision_export_weights.py', () => {
  it('converts a .pth state dict and a seeded torchvision model to the same loadable file', (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const a = models.squeezenet1_1({ weights: join(dir, 'sq-from-pth.safetensors') });
    const b = models.squeezenet1_1({ weights: join(dir, 'sq-from-model.safetensors') });
    try {
      const sa = a.stateDict();
      const sb = b.stateDict();
      expect(Object.keys(sa)).toEqual(Object.keys(sb));
      for (const k of Object.keys(sa)) expect(sa[k]!.tolist(), k).toEqual(sb[k]!.tolist());
      expect(sa['classifier.1.weight']!.abs().sum().item()).toBeGreaterThan(0);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('DenseNet checkpoints with the old key names and no num_batches_tracked load: fixed by the converter, and by densenet121() itself', (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const converted = loadSync(join(dir, 'densenet-converted.safetensors')) as Record<string, Tensor>;
    const direct = models.densenet121({ weights: join(dir, 'densenet-old-keys.safetensors') });
    const viaConverter = models.densenet121({ weights: join(dir, 'densenet-converted.safetensors') });
    try {
      expect(Object.keys(converted).some((k) => k.includes('.norm.1.'))).toBe(false);
      expect(Object.keys(converted).sort()).toEqual(Object.keys(direct.stateDict()).sort());
      expect(converted['features.norm0.num_batches_tracked']!.item()).toBe(0);
      expect(direct.stateDict()['features.norm0.num_batches_tracked']!.item()).toBe(0);
      const k = 'features.denseblock2.denselayer3.norm2.weight';
      expect(direct.stateDict()[k]!.tolist()).toEqual(converted[k]!.tolist());
      expect(viaConverter.stateDict()[k]!.tolist()).toEqual(converted[k]!.tolist());
    } finally {
      for (const t of Object.values(converted)) t.dispose();
      direct.dispose();
      viaConverter.dispose();
    }
  });
});
