/**
 * The map-style Dataset base the vision datasets extend: core's `Dataset` (`@flint/core/data`),
 * so every vision dataset works with core's DataLoader, samplers and `randomSplit`.
 * @module
 */
export { Dataset } from '@flint/core/data';
