/**
 * A small logdir with every kind of data the viewer shows, written by the real SummaryWriter:
 * runs `train` and `eval` (scalars), `<script>` (a hostile run name), hparams sessions
 * `hp/lr_0.1` and `hp/lr_0.01`, and in `train` histograms, images, audio, text, a PR curve, a
 * custom-scalars layout and an embedding with labels and a sprite. Used by the viewer's tests
 * and by `bench/many-runs.ts`'s smoke check. @internal
 */
import { join } from 'node:path';
import { SummaryWriter } from '../writer/summary-writer.js';

/** Steps of the scalar series in the demo. */
export const DEMO_STEPS = 50;

/** Writes the demo logdir into `dir` (which may exist). */
export async function writeDemoLogdir(dir: string): Promise<void> {
  const t0 = 1_700_000_000;
  const train = new SummaryWriter(join(dir, 'train'));
  const evalW = new SummaryWriter(join(dir, 'eval'));
  const evil = new SummaryWriter(join(dir, '<script>'));
  for (let s = 0; s < DEMO_STEPS; s++) {
    const loss = 2 * Math.exp(-s / 15) + 0.1 * Math.sin(s);
    train.addScalar('loss/train', loss, s, { walltime: t0 + s * 10 });
    train.addScalar('accuracy', 1 - loss / 2.5, s, { walltime: t0 + s * 10 });
    train.addScalar('lr', 0.1 * 0.97 ** s, s, { walltime: t0 + s * 10 });
    evalW.addScalar('loss/train', loss * 1.2 + 0.05, s, { walltime: t0 + 5 + s * 10 });
    evalW.addScalar('accuracy', 0.9 - loss / 3, s, { walltime: t0 + 5 + s * 10 });
    evil.addScalar('loss/train', loss * 0.8, s, { walltime: t0 + 7 + s * 10 });
    train.addScalar('margin/value', loss, s, { walltime: t0 + s * 10 });
    train.addScalar('margin/lower', loss - 0.2, s, { walltime: t0 + s * 10 });
    train.addScalar('margin/upper', loss + 0.2, s, { walltime: t0 + s * 10 });
  }
  for (let s = 0; s < 5; s++) {
    const gauss = (i: number) => Math.sin(i * 12.9898) + Math.sin(i * 4.1414) + Math.sin(i * 7.7777);
    const values = Float32Array.from({ length: 2000 }, (_, i) => gauss(i + s) * (0.5 + s / 8) + s * 0.3);
    train.addHistogram('weights/fc1', values, s * 10, { walltime: t0 + s * 100 });
  }
  const H = 32;
  const W = 48;
  for (const s of [0, 10, 20]) {
    const img = new Float32Array(3 * H * W);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        img[y * W + x] = x / W;
        img[H * W + y * W + x] = y / H;
        img[2 * H * W + y * W + x] = s / 20;
      }
    }
    await train.addImage('samples/gradient', { data: img, shape: [3, H, W] }, s, { walltime: t0 + s * 10 });
  }
  const tone = Float32Array.from({ length: 4000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 8000));
  train.addAudio('audio/tone', tone, 0, { sampleRate: 8000, walltime: t0 });
  train.addText('notes', '# Run notes\n\n**lr** is `0.1`; see the table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">', 0, { walltime: t0 });
  train.addText('notes', 'second entry with *emphasis*', 1, { walltime: t0 + 1 });
  const rand = (i: number) => (Math.sin(i * 78.233) * 43758.5453) % 1;
  const labels = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 0 : 1));
  const preds = labels.map((l, i) => Math.min(1, Math.max(0, 0.35 * l + 0.65 * Math.abs(rand(i)))));
  train.addPrCurve('pr/positive', labels, preds, 0, { walltime: t0 });
  train.addPrCurve('pr/positive', labels, preds.map((p, i) => (labels[i] ? Math.min(1, p + 0.2) : p * 0.5)), 10, { walltime: t0 + 100 });
  train.addCustomScalars({
    Losses: { 'train and eval': ['Multiline', ['loss/.*']], 'with margin': ['Margin', ['margin/value', 'margin/lower', 'margin/upper']] },
  });
  const n = 30;
  const mat = Float32Array.from({ length: n * 5 }, (_, i) => Math.sin(i * 1.7) + (Math.floor(i / 5) % 3) * 2);
  const thumbs = Float32Array.from({ length: n * 3 * 8 * 8 }, (_, i) => (Math.floor(i / 192) % 3 === Math.floor((i % 192) / 64) ? 1 : 0.2));
  await train.addEmbedding({ data: mat, shape: [n, 5] }, { metadata: Array.from({ length: n }, (_, i) => `class ${i % 3}`), labelImg: { data: thumbs, shape: [n, 3, 8, 8] }, tag: 'features' });
  await Promise.all([train.close(), evalW.close(), evil.close()]);
  const hp = new SummaryWriter(join(dir, 'hp'));
  hp.addHparams({ lr: 0.1, optimizer: 'sgd', batchSize: 32 }, { 'hparam/accuracy': 0.91, 'hparam/loss': 0.3 }, { runName: 'lr_0.1' });
  hp.addHparams({ lr: 0.01, optimizer: 'adam', batchSize: 64 }, { 'hparam/accuracy': 0.95, 'hparam/loss': 0.2 }, { runName: 'lr_0.01' });
  await hp.close();
}
