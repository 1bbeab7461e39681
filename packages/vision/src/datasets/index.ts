/**
 * `@flint/vision/datasets` (`torchvision.datasets`): map-style datasets returning
 * `[sample, target]`, the sample an {@link Image} (the PIL analog) unless `transform` changes it.
 * Files are found in torchvision's layout under `root`; `download: true` fetches them (URLs and
 * md5 as torchvision 0.14 has them) and tells which files to place where when it cannot.
 *
 * @example
 * ```ts
 * import { FashionMNIST } from '@flint/vision/datasets';
 * import { Compose, ToTensor, Normalize } from '@flint/vision/transforms';
 * const train = new FashionMNIST('data', { train: true, transform: new Compose([new ToTensor(), new Normalize([0.286], [0.353])]) });
 * ```
 * @module
 */
export { VisionDataset } from './vision-dataset.js';
export type { VisionDatasetOptions, DownloadOptions } from './vision-dataset.js';
export { Dataset } from './dataset-base.js';
export { MNIST, FashionMNIST, KMNIST, EMNIST, QMNIST } from './mnist.js';
export type { MNISTOptions, EMNISTSplit, QMNISTWhat, QMNISTOptions } from './mnist.js';
export { CIFAR10, CIFAR100 } from './cifar.js';
export type { CIFAROptions } from './cifar.js';
export { STL10 } from './stl10.js';
export type { STL10Options, STL10Split } from './stl10.js';
export { SVHN } from './svhn.js';
export type { SVHNOptions, SVHNSplit } from './svhn.js';
export { DatasetFolder, ImageFolder, IMG_EXTENSIONS, findClasses, makeDataset, hasFileAllowedExtension, defaultLoader } from './folder.js';
export type { DatasetFolderOptions, ImageFolderOptions } from './folder.js';
export { FakeData } from './fake-data.js';
export type { FakeDataOptions } from './fake-data.js';
export { Digits, digits } from './digits.js';
export { parseIdx, readIdxFile } from './idx.js';
export type { IdxArray } from './idx.js';
export { readMat } from './mat.js';
export type { MatArray } from './mat.js';
export { downloadUrl, checkIntegrity, calculateMd5, extractArchive } from './download.js';
export type { DownloadUrlOptions } from './download.js';
export { DatasetError } from '../errors.js';
