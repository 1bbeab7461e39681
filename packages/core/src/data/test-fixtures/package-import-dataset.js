/**
 * A test dataset that imports Flint by package name, as user code does: in a worker it must get
 * the same copy of Flint as the worker itself. Plain JavaScript, so that type-checking the sources
 * does not need a build of the package.
 */
import { tensor } from '@flint/core';
import { Dataset } from '../dataset.js';

export class PackageImportDataset extends Dataset {
  constructor(n) {
    super();
    this.n = n;
  }

  getItem(i) {
    return tensor([i]);
  }

  len() {
    return this.n;
  }

  workerDescriptor() {
    return { module: import.meta.url, exportName: 'PackageImportDataset', args: [this.n] };
  }
}
