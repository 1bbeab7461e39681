/**
 * In-memory image datasets whose `getItem` applies a per-sample transform with Flint ops: scale
 * 0..255 to 0..1, normalize with MNIST's mean and std, and flip horizontally with probability 0.5
 * (drawn from Flint's default generator, as torchvision's RandomHorizontalFlip draws
 * `torch.rand(1)`). Two ways to hold the images:
 *
 * - `ImageTensorDataset`: one `[n, 1, 28, 28]` tensor, indexed per sample, as `TensorDataset`
 *   does (`ImageTensorDataset` in `more_torch.py` is the same);
 * - `ImageArrayDataset`: the same values in a JS `Int32Array`, a tensor made per sample.
 *
 * DataLoader workers rebuild either from `workerDescriptor()` (the tensors travel as buffers, the
 * arrays by structured clone), so this module must stay importable on its own in a worker.
 */
import * as flint from '@flint/core';
import { data, type Tensor } from '@flint/core';

/** Normalization of the samples (MNIST's). */
export const MEAN = 0.1307;
export const STD = 0.3081;
const PIXELS = 28 * 28;

/** The per-sample transform: `[1, 28, 28]` values 0..255 -> normalized float32, maybe flipped. */
export function normalizeAndFlip(image: Tensor, flipP: number): Tensor {
  const x = image.float().div(255).sub(MEAN).div(STD);
  return flint.rand([1]).item() < flipP ? x.flip(-1) : x;
}

/** Images in one tensor, a sample is `[images[i] transformed, labels[i]]`. */
export class ImageTensorDataset extends data.Dataset<[Tensor, Tensor]> {
  /**
   * @param images `[n, 1, 28, 28]` int32 values 0..255 (Flint has no uint8)
   * @param labels `[n]` int32 class ids
   */
  constructor(
    readonly images: Tensor,
    readonly labels: Tensor,
    readonly flipP = 0.5,
  ) {
    super();
  }

  getItem(i: number): [Tensor, Tensor] {
    return [normalizeAndFlip(this.images.index(i), this.flipP), this.labels.index(i)];
  }

  len(): number {
    return this.images.shape[0]!;
  }

  workerDescriptor(): data.WorkerDescriptor {
    return { module: import.meta.url, exportName: 'ImageTensorDataset', args: [this.images, this.labels, this.flipP] };
  }

  dispose(): void {
    this.images.dispose();
    this.labels.dispose();
  }
}

/** Images in a JS array, a sample is `[tensor of image i transformed, label i]`. */
export class ImageArrayDataset extends data.Dataset<[Tensor, number]> {
  /**
   * @param images n * 28 * 28 values 0..255, image after image
   * @param labels n class ids
   */
  constructor(
    readonly images: Int32Array,
    readonly labels: Int32Array,
    readonly flipP = 0.5,
  ) {
    super();
  }

  getItem(i: number): [Tensor, number] {
    const image = flint.tensor(this.images.subarray(i * PIXELS, (i + 1) * PIXELS), { dtype: 'int32' }).reshape([1, 28, 28]);
    return [normalizeAndFlip(image, this.flipP), this.labels[i]!];
  }

  len(): number {
    return this.labels.length;
  }

  workerDescriptor(): data.WorkerDescriptor {
    return { module: import.meta.url, exportName: 'ImageArrayDataset', args: [this.images, this.labels, this.flipP] };
  }

  dispose(): void {}
}

/** `n` random 28x28 images with values 0..255 and labels 0..9 from a fixed seed, held as `kind` says. */
export function makeImages(n: number, kind: 'tensor' | 'array'): ImageTensorDataset | ImageArrayDataset {
  const g = new flint.Generator(0);
  const images = flint.randint(0, 256, [n, 1, 28, 28], { generator: g });
  const labels = flint.randint(0, 10, [n], { generator: g });
  if (kind === 'tensor') return new ImageTensorDataset(images, labels);
  const ds = new ImageArrayDataset(images.dataSync() as Int32Array, labels.dataSync() as Int32Array);
  images.dispose();
  labels.dispose();
  return ds;
}
