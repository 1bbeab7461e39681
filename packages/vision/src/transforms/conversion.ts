/**
 * Conversion transforms: `ToTensor`, `PILToTensor`, `ToPILImage`, `ConvertImageDtype`.
 * @module
 */
import { ArgumentError, DTypeError, type Tensor } from '@flint/core';
import type { Image, ImageMode } from '../image.js';
import { convertImageDtype, pilToTensor, toPILImage, toTensor, type PicLike } from './functional/convert.js';
import { Transform } from './transform.js';

/**
 * An {@link Image} or HWC data to a float32 `[C, H, W]` tensor in [0, 1] (`transforms.ToTensor`).
 * Integer data (Images, int32 tensors, byte arrays) is divided by 255.
 *
 * @example
 * ```ts
 * const ds = new FashionMNIST('data', { transform: new ToTensor() });
 * const [x, y] = ds.getItem(0); // x: Tensor [1, 28, 28] float32
 * ```
 */
export class ToTensor extends Transform<PicLike, Tensor> {
  constructor() {
    super();
  }
  forward(pic: PicLike): Tensor {
    return toTensor(pic);
  }
}

/**
 * An {@link Image} to an int32 `[C, H, W]` tensor of 0..255, unscaled (`transforms.PILToTensor`;
 * int32 is Flint's uint8 analog).
 *
 * @example
 * ```ts
 * new PILToTensor()(img); // int32 [3, H, W]
 * ```
 */
export class PILToTensor extends Transform<Image, Tensor> {
  constructor() {
    super();
  }
  forward(pic: Image): Tensor {
    return pilToTensor(pic);
  }
}

/**
 * A `[C, H, W]` tensor to an {@link Image} (`transforms.ToPILImage`): float values times 255,
 * int32 values as they are.
 *
 * @example
 * ```ts
 * const img = new ToPILImage()(x);
 * const gray = new ToPILImage('L')(x1); // checks that x1 has one channel
 * ```
 */
export class ToPILImage extends Transform<Tensor, Image> {
  readonly mode: ImageMode | undefined;

  constructor(mode?: ImageMode) {
    super(...(mode === undefined ? [] : [mode]));
    if (mode !== undefined && !['L', 'LA', 'RGB', 'RGBA'].includes(mode)) {
      throw new ArgumentError(`ToPILImage(): mode must be 'L', 'LA', 'RGB' or 'RGBA' (got ${JSON.stringify(mode)})`);
    }
    this.mode = mode;
  }
  forward(pic: Tensor): Image {
    return toPILImage(pic, this.mode);
  }
}

/**
 * Converts between float32 in [0, 1] and int32 in 0..255 (`transforms.ConvertImageDtype`).
 *
 * @example
 * ```ts
 * new ConvertImageDtype('float32')(await readImage('a.png'));
 * ```
 */
export class ConvertImageDtype extends Transform<Tensor, Tensor> {
  readonly dtype: 'float32' | 'int32';
  constructor(dtype: 'float32' | 'int32') {
    super(dtype);
    if (dtype !== 'float32' && dtype !== 'int32') {
      throw new DTypeError(`ConvertImageDtype(): dtype must be 'float32' or 'int32' (got ${JSON.stringify(dtype)})`);
    }
    this.dtype = dtype;
  }
  forward(image: Tensor): Tensor {
    return convertImageDtype(image, this.dtype);
  }
}
