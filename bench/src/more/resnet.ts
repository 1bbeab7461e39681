/**
 * resnet18 forward at batch 8, 224x224, eval mode, under noGrad, from `@flint/vision`'s models
 * (random weights: speed does not depend on them), beside torchvision's `resnet18` (`make_resnet18`
 * in `more_torch.py`). The models are not exported from `@flint/vision`'s entry yet, so they are
 * loaded from the package's sources when the entry lacks them; when neither loads, the row is
 * skipped with the reason.
 */
import * as flint from '@flint/core';
import type { Tensor } from '@flint/core';

interface ResNet {
  (x: Tensor): Tensor;
  eval(): unknown;
  dispose(): void;
}
type Models = { resnet18: (options?: object) => ResNet };

/** The models module and where it came from, or why it could not be loaded. */
export async function loadModels(): Promise<{ models: Models; from: string } | { error: string }> {
  const errors: string[] = [];
  const tries: [string, () => Promise<unknown>][] = [
    ['@flint/vision', async () => ((await import('@flint/vision' as string)) as { models?: unknown }).models],
    ['packages/vision/src/models (sources; not yet exported by @flint/vision)', () => import('../../../packages/vision/src/models/index.js' as string)],
  ];
  for (const [from, load] of tries) {
    try {
      const m = (await load()) as Partial<Models> | undefined;
      if (typeof m?.resnet18 === 'function') return { models: m as Models, from };
      errors.push(`${from}: no resnet18 export`);
    } catch (e) {
      errors.push(`${from}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return { error: errors.join('; ') };
}

/** The forward pass as an iteration on the active backend. */
export function makeResnet18(models: Models): { iter: () => number; dispose: () => void } {
  flint.manualSeed(0);
  const net = models.resnet18();
  net.eval();
  const x = flint.randn([8, 3, 224, 224]);
  return {
    iter: () => flint.scope(() => flint.noGrad(() => net(x).sum().item())),
    dispose: () => {
      net.dispose();
      x.dispose();
    },
  };
}
