import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tensor } from '../index.js';
import { loadSync } from './load.js';
import { saveSync } from './save.js';
import { SerializationError } from './serialization-error.js';

/** Elements of the child's checkpoint: 150 MB of float32. */
const N = 37_500_000;

/**
 * Starts a child that saves a 150 MB checkpoint over `target` again and again, and kills it with
 * SIGKILL as soon as a temporary file exists and has grown past 1 MB. Returns the temporary files
 * left behind.
 */
async function killMidSave(dir: string, target: string): Promise<{ leftovers: string[]; stderr: string }> {
  const pkg = fileURLToPath(new URL('../..', import.meta.url));
  const script = join(dir, 'saver.mts');
  writeFileSync(
    script,
    `import { full } from ${JSON.stringify(fileURLToPath(new URL('../index.ts', import.meta.url)))};
    import { save } from ${JSON.stringify(fileURLToPath(new URL('./save.ts', import.meta.url)))};
    for (let epoch = 1; ; epoch++) {
      const w = full([${N}], epoch);
      await save({ epoch, w, note: 'child' }, ${JSON.stringify(target)});
      w.dispose();
    }`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: pkg, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let done = false;
  void exited.then(() => (done = true));
  const temps = (): string[] => readdirSync(dir).filter((f) => f.startsWith('.ckpt.safetensors.') && f.endsWith('.tmp'));
  const deadline = Date.now() + 45_000;
  while (!done && Date.now() < deadline) {
    const grown = temps().some((f) => {
      try {
        return statSync(join(dir, f)).size > 1 << 20;
      } catch {
        return false; // renamed away between readdir and stat
      }
    });
    if (grown) break;
    await new Promise((r) => setImmediate(r));
  }
  child.kill('SIGKILL');
  await exited;
  return { leftovers: temps(), stderr };
}

describe('atomic saves', () => {
  it('a process killed mid-save leaves the previous checkpoint intact', async () => {
    let attempts = 0;
    for (;;) {
      attempts++;
      const dir = mkdtempSync(join(tmpdir(), 'flint-atomic-'));
      const target = join(dir, 'ckpt.safetensors');
      saveSync({ epoch: 0, w: tensor([1, 2, 3]), note: 'good' }, target);
      const good = readFileSync(target);
      const { leftovers, stderr } = await killMidSave(dir, target);
      expect(stderr.includes('Error'), stderr.slice(-1000)).toBe(false);
      // The target is always a whole checkpoint: the good one, or one the child finished.
      const ckpt = loadSync(target);
      if (ckpt.epoch === 0) {
        expect(readFileSync(target).equals(good)).toBe(true);
        expect(ckpt.note).toBe('good');
        expect(ckpt.w.tolist()).toEqual([1, 2, 3]);
      } else {
        expect(ckpt.note).toBe('child');
        expect(ckpt.w.shape).toEqual([N]);
        expect(ckpt.w.min().item()).toBe(ckpt.epoch);
        expect(ckpt.w.max().item()).toBe(ckpt.epoch);
      }
      ckpt.w.dispose();
      expect(readdirSync(dir).filter((f) => !f.startsWith('.') && f !== 'saver.mts')).toEqual(['ckpt.safetensors']);
      // Killed before the rename: the partial temporary file is what was cut short, and load() says so.
      if (leftovers.length === 1) {
        const tmp = join(dir, leftovers[0]!);
        if (statSync(tmp).size < N * 4) {
          expect(() => loadSync(tmp)).toThrow(SerializationError);
          expect(() => loadSync(tmp)).toThrow(/is truncated/);
        }
        return;
      }
      // The kill landed between two saves; try again (the check above still held).
      expect(attempts).toBeLessThan(4);
    }
  }, 180_000);
});
