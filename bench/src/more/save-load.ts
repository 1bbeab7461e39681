/**
 * save/load speed of a 100 MiB state dict (25 float32 tensors of 1M elements) with
 * `flint.save` / `flint.load`, in a fresh temporary folder. `flint.save` writes a temporary file,
 * fsyncs it and renames it over the target; PyTorch is timed both as `torch.save` alone and with
 * the same fsync (`make_save`, `make_save_fsync`, `make_load` in `more_torch.py`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as flint from '@flint/core';
import type { Tensor } from '@flint/core';
import { flintSampler, type Sampler } from './harness.js';

export const SD_TENSORS = 25;
export const SD_NUMEL = 1 << 20;
/** Bytes of tensor data in the state dict. */
export const SD_BYTES = SD_TENSORS * SD_NUMEL * 4;

function stateDict(): Record<string, Tensor> {
  flint.manualSeed(0);
  return Object.fromEntries(Array.from({ length: SD_TENSORS }, (_, i) => [`layer${i}.weight`, flint.randn([SD_NUMEL])]));
}

function freeAll(sd: Record<string, Tensor>): void {
  for (const t of Object.values(sd)) t.dispose();
}

/** A sampler that times `flint.save` or `flint.load` of the state dict. */
export function saveLoadSampler(what: 'save' | 'load'): () => Promise<Sampler> {
  return flintSampler('wasm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flint-bench-'));
    const path = join(dir, 'state.safetensors');
    const sd = stateDict();
    if (what === 'load') {
      await flint.save(sd, path);
      freeAll(sd);
    }
    const iter =
      what === 'save'
        ? () => flint.save(sd, path)
        : async () => {
            const loaded = await flint.load<Record<string, Tensor>>(path);
            const first = loaded['layer0.weight']!.index(0);
            first.item();
            first.dispose();
            freeAll(loaded);
          };
    return {
      iter,
      dispose: () => {
        if (what === 'save') freeAll(sd);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
}
