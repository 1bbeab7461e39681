/**
 * Functional transforms against torchvision 0.14's tensor path (fixtures/transforms.json, from
 * tools/fixtures/vision_transforms.py), on the wasm and cpu backends.
 *
 * Tolerances: exact (0) for every int32 (uint8-semantics) result, including interpolated and
 * warped ones (the index, weight and grid arithmetic follows PyTorch's float32 steps, so the
 * rounding lands on the same side), for nearest warps, flips, crops and padding; 1e-5 for float
 * color math; 1e-4 for float interpolation (resize, warps, blur) and normalize.
 */
import { tensor, type Tensor } from '@flint/core';
import { runGolden } from '../../../test/golden.js';
import * as F from './index.js';

const IMG = (x: Tensor) => x;
const bil = { interpolation: 'bilinear' as const };

const table: Parameters<typeof runGolden>[1] = {};
for (const nm of ['f', 'u', 'batch', 'gray']) {
  table[`hflip_${nm}`] = F.hflip;
  table[`vflip_${nm}`] = F.vflip;
}
Object.assign(table, {
  crop_inside_f: (x: Tensor) => F.crop(x, 2, 3, 4, 5),
  crop_outside_u: (x: Tensor) => F.crop(x, -2, 8, 6, 6),
  center_crop_small_f: (x: Tensor) => F.centerCrop(x, [4, 6]),
  center_crop_odd_u: (x: Tensor) => F.centerCrop(x, [6, 5]),
  center_crop_large_f: (x: Tensor) => F.centerCrop(x, [12, 14]),
  center_crop_batch: (x: Tensor) => F.centerCrop(x, 5),
  pad_constant_f: (x: Tensor) => F.pad(x, [1, 2], 0.5),
  pad_ltrb_u: (x: Tensor) => F.pad(x, [1, 2, 3, 0], 7),
  pad_edge_f: (x: Tensor) => F.pad(x, 2, 0, 'edge'),
  pad_reflect_u: (x: Tensor) => F.pad(x, [3, 1], 0, 'reflect'),
  pad_symmetric_f: (x: Tensor) => F.pad(x, [2, 3, 1, 4], 0, 'symmetric'),
  pad_negative_f: (x: Tensor) => F.pad(x, [-1, 1, 2, -2]),
  pad_reflect_batch: (x: Tensor) => F.pad(x, 2, 0, 'reflect'),
});
for (const mode of ['nearest', 'bilinear', 'bicubic'] as const) {
  const o = { interpolation: mode, antialias: false };
  table[`resize_${mode}_down_f`] = { fn: (x: Tensor) => F.resize(x, [7, 5], o), atol: 1e-4 };
  table[`resize_${mode}_up_f`] = { fn: (x: Tensor) => F.resize(x, [13, 17], o), atol: 1e-4 };
  table[`resize_${mode}_down_u`] = { fn: (x: Tensor) => F.resize(x, [7, 5], o), atol: 0 };
  table[`resize_${mode}_up_u`] = { fn: (x: Tensor) => F.resize(x, [13, 17], o), atol: 0 };
}
for (const mode of ['bilinear', 'bicubic'] as const) {
  const o = { interpolation: mode, antialias: true };
  table[`resize_${mode}_aa_down_f`] = { fn: (x: Tensor) => F.resize(x, [7, 5], o), atol: 1e-4 };
  table[`resize_${mode}_aa_down_u`] = { fn: (x: Tensor) => F.resize(x, [6, 9], o), atol: 0 };
  table[`resize_${mode}_aa_mixed_f`] = { fn: (x: Tensor) => F.resize(x, [30, 10], o), atol: 1e-4 };
}
Object.assign(table, {
  resize_short_edge_f: { fn: (x: Tensor) => F.resize(x, 6, { antialias: false }), atol: 1e-4 },
  resize_max_size_f: { fn: (x: Tensor) => F.resize(x, 10, { maxSize: 11, antialias: false }), atol: 1e-4 },
  resize_nearest_double_f: (x: Tensor) => F.resize(x, [18, 22], { interpolation: 'nearest' }),
  resize_batch: { fn: (x: Tensor) => F.resize(x, [5, 6], { antialias: false }), atol: 1e-4 },
  resized_crop_f: { fn: (x: Tensor) => F.resizedCrop(x, 2, 3, 10, 12, [8, 8], { antialias: false }), atol: 1e-4 },
  five_crop_f: (x: Tensor) => F.fiveCrop(x, [4, 5]),
  ten_crop_u: (x: Tensor) => F.tenCrop(x, 4),
  ten_crop_vflip_f: (x: Tensor) => F.tenCrop(x, [5, 4], true),
  rotate_nearest_f: { fn: (x: Tensor) => F.rotate(x, 33) },
  rotate_bilinear_f: { fn: (x: Tensor) => F.rotate(x, -47, bil), atol: 1e-4 },
  rotate_bilinear_fill_f: { fn: (x: Tensor) => F.rotate(x, 21, { ...bil, fill: [0.2, 0.5, 0.9] }), atol: 1e-4 },
  rotate_nearest_fill_u: { fn: (x: Tensor) => F.rotate(x, 71, { fill: [10, 20, 30] }) },
  rotate_bilinear_u: { fn: (x: Tensor) => F.rotate(x, 13, { ...bil, fill: [0, 0, 0] }), atol: 0 },
  rotate_expand_f: { fn: (x: Tensor) => F.rotate(x, 37, { ...bil, expand: true }), atol: 1e-4 },
  rotate_center_f: { fn: (x: Tensor) => F.rotate(x, 25, { ...bil, center: [3, 5] }), atol: 1e-4 },
  rotate_batch: { fn: (x: Tensor) => F.rotate(x, 17, bil), atol: 1e-4 },
  affine_bilinear_f: { fn: (x: Tensor) => F.affine(x, { angle: 12, translate: [2, -1], scale: 1.1, shear: [5, 3], ...bil }), atol: 1e-4 },
  affine_nearest_fill_u: { fn: (x: Tensor) => F.affine(x, { angle: -8, translate: [1, 2], scale: 0.9, shear: [7], fill: [5, 6, 7] }) },
  affine_shear_only_f: { fn: (x: Tensor) => F.affine(x, { shear: 10, ...bil, fill: [0, 0, 0] }), atol: 1e-4 },
  affine_shear_center0_u: (x: Tensor) => F.affine(x, { shear: [-16.7, 0], center: [0, 0], fill: [0, 0, 0] }),
  affine_shear_y_center0_f: { fn: (x: Tensor) => F.affine(x, { shear: [0, 12], center: [0, 0], ...bil }), atol: 1e-4 },
  perspective_bilinear_f: {
    fn: (x: Tensor) => F.perspective(x, [[0, 0], [23, 0], [23, 19], [0, 19]], [[2, 1], [21, 3], [23, 17], [1, 18]]),
    atol: 1e-4,
  },
  perspective_nearest_fill_u: {
    fn: (x: Tensor) =>
      F.perspective(x, [[0, 0], [23, 0], [23, 19], [0, 19]], [[3, 2], [22, 0], [20, 19], [0, 16]], { interpolation: 'nearest', fill: [1, 2, 3] }),
  },
});
for (const nm of ['f', 'u']) {
  const t = nm === 'f' ? 1e-5 : 0;
  Object.assign(table, {
    [`grayscale1_${nm}`]: { fn: (x: Tensor) => F.rgbToGrayscale(x, 1), atol: t },
    [`grayscale3_${nm}`]: { fn: (x: Tensor) => F.rgbToGrayscale(x, 3), atol: t },
    [`brightness_${nm}`]: { fn: (x: Tensor) => F.adjustBrightness(x, 1.3), atol: t },
    [`contrast_${nm}`]: { fn: (x: Tensor) => F.adjustContrast(x, 0.6), atol: t },
    [`saturation_${nm}`]: { fn: (x: Tensor) => F.adjustSaturation(x, 1.7), atol: t },
    [`hue_${nm}`]: { fn: (x: Tensor) => F.adjustHue(x, 0.2), atol: t },
    [`hue_neg_${nm}`]: { fn: (x: Tensor) => F.adjustHue(x, -0.35), atol: t },
    [`gamma_${nm}`]: { fn: (x: Tensor) => F.adjustGamma(x, 0.7, 1.1), atol: t },
    [`invert_${nm}`]: F.invert,
    [`sharpness_${nm}`]: { fn: (x: Tensor) => F.adjustSharpness(x, 1.8), atol: t },
    [`autocontrast_${nm}`]: { fn: F.autocontrast, atol: t },
  });
}
Object.assign(table, {
  contrast_gray_f: { fn: (x: Tensor) => F.adjustContrast(x, 1.5), atol: 1e-5 },
  brightness_batch: { fn: (x: Tensor) => F.adjustBrightness(x, 0.5), atol: 1e-5 },
  contrast_batch: { fn: (x: Tensor) => F.adjustContrast(x, 0.5), atol: 1e-5 },
  hue_batch: { fn: (x: Tensor) => F.adjustHue(x, 0.1), atol: 1e-5 },
  solarize_f: (x: Tensor) => F.solarize(x, 0.4),
  solarize_u: (x: Tensor) => F.solarize(x, 128),
  posterize_u: (x: Tensor) => F.posterize(x, 3),
  equalize_u: F.equalize,
  equalize_low_u: F.equalize,
  autocontrast_low_u: F.autocontrast,
  gaussian_blur_f: { fn: (x: Tensor) => F.gaussianBlur(x, [3, 5], [0.8, 1.3]), atol: 1e-4 },
  gaussian_blur_u: { fn: (x: Tensor) => F.gaussianBlur(x, 5, 1.1), atol: 0 },
  gaussian_blur_default_sigma_f: { fn: (x: Tensor) => F.gaussianBlur(x, 3), atol: 1e-4 },
  normalize_f: { fn: (x: Tensor) => F.normalize(x, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]), atol: 1e-4 },
  normalize_batch: { fn: (x: Tensor) => F.normalize(x, [0.5, 0.4, 0.3], [0.2, 0.3, 0.4]), atol: 1e-4 },
  convert_u_to_f: { fn: (x: Tensor) => F.convertImageDtype(x, 'float32'), atol: 1e-7 },
  convert_f_to_u: (x: Tensor) => F.convertImageDtype(x, 'int32'),
  erase_f: (x: Tensor) => F.erase(x, 2, 3, 4, 5, tensor([0.1, 0.2, 0.3])),
  to_tensor_hwc_u: { fn: (x: Tensor) => F.toTensor(x.permute(1, 2, 0)), atol: 1e-7 },
  pil_to_tensor_u: (x: Tensor) => F.pilToTensor(F.toPILImage(x)),
  to_pil_image_f: (x: Tensor) => F.pilToTensor(F.toPILImage(x)),
});
void IMG;

runGolden('transforms', table, { atol: 0 });
