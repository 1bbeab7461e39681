// Types for `gifenc` (it ships none); only what @flint/board uses.
declare module 'gifenc' {
  type Palette = number[][];
  interface GIFStream {
    writeFrame(index: Uint8Array, width: number, height: number, opts?: { palette?: Palette; delay?: number; repeat?: number; transparent?: boolean }): void;
    finish(): void;
    bytes(): Uint8Array;
  }
  interface GifencApi {
    GIFEncoder(opts?: { auto?: boolean; initialCapacity?: number }): GIFStream;
    quantize(rgba: Uint8Array | Uint8ClampedArray, maxColors: number, options?: { format?: 'rgb565' | 'rgb444' | 'rgba4444' }): Palette;
    applyPalette(rgba: Uint8Array | Uint8ClampedArray, palette: Palette, format?: 'rgb565' | 'rgb444' | 'rgba4444'): Uint8Array;
  }
  const gifenc: GifencApi;
  export default gifenc;
  export const GIFEncoder: GifencApi['GIFEncoder'] | undefined;
}
