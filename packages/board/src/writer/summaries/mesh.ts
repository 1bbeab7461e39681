/**
 * Mesh summaries (PyTorch's `add_mesh`): up to three DT_FLOAT tensors `<tag>_VERTEX`,
 * `<tag>_FACE` and `<tag>_COLOR`, each of shape [B, N, 3], with the mesh plugin's metadata.
 * @module
 */
import { ArgumentError, ShapeError, describe } from '../../errors.js';
import type { SummaryValueData } from '../../format/event-proto.js';
import { MeshContentType, encodeMeshPluginData } from '../../format/plugin-protos.js';
import { DataType } from '../../format/tensor-proto.js';
import type { NdArray } from '../../util/ndarray.js';

const NAMES = { 1: 'VERTEX', 2: 'FACE', 3: 'COLOR' } as const;

/**
 * Builds the mesh values.
 *
 * @example
 * ```ts
 * meshValues('addMesh', 'cube', vertices, colors, faces, { camera: { cls: 'PerspectiveCamera', fov: 75 } });
 * ```
 */
export function meshValues(fn: string, tag: string, vertices: NdArray, colors?: NdArray, faces?: NdArray, configDict?: Record<string, unknown>): SummaryValueData[] {
  if (configDict !== undefined && (typeof configDict !== 'object' || configDict === null)) {
    throw new ArgumentError(`${fn}(): configDict must be an object of three.js settings (got ${describe(configDict)})`);
  }
  const jsonConfig = configDict ? JSON.stringify(sortKeys(configDict)) : '{}';
  const parts: [NdArray, 1 | 2 | 3, string][] = [[vertices, MeshContentType.VERTEX, 'vertices']];
  if (faces) parts.push([faces, MeshContentType.FACE, 'faces']);
  if (colors) parts.push([colors, MeshContentType.COLOR, 'colors']);
  for (const [t, , name] of parts) {
    if (t.shape.length !== 3 || t.shape[2] !== 3) throw new ShapeError(`${fn}(): ${name} must have shape [B, N, 3] (got [${t.shape.join(', ')}])`);
  }
  if (colors && (colors.shape[0] !== vertices.shape[0] || colors.shape[1] !== vertices.shape[1])) {
    throw new ShapeError(`${fn}(): colors must have one color per vertex: shape [${vertices.shape.join(', ')}] like vertices (got [${colors.shape.join(', ')}])`);
  }
  const components = parts.reduce((m, [, ct]) => m | (1 << ct), 0);
  return parts.map(([t, ct]) => ({
    tag: `${tag}_${NAMES[ct]}`,
    metadata: {
      pluginName: 'mesh',
      pluginContent: encodeMeshPluginData({ version: 0, name: tag, contentType: ct, jsonConfig, shape: t.shape, components }),
    },
    tensor: { dtype: DataType.FLOAT, shape: t.shape, floatVal: Float32Array.from(t.data as ArrayLike<number>) },
  }));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}
