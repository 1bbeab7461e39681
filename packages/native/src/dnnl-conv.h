// NCHW convolutions through oneDNN's convolution primitives (its direct JIT kernels, which need
// no im2col). Compiled only when the addon is built with oneDNN (FLINT_DNNL).
#pragma once

#include <cstdint>

namespace flint {

// Which of a convolution's three products: the forward pass, the input gradient (a transposed
// convolution) or the weight gradient.
enum class DnnlConvKind { kForward = 0, kBackwardData = 1, kBackwardWeights = 2 };

// The geometry of an NCHW convolution with an OIHW weight ([O, C / groups, kH, kW]); the right and
// bottom padding follow from the output size. Channels count all groups.
struct DnnlConvShape {
  int64_t n, h, w, ci, ho, wo, co, kh, kw, sh, sw, pt, pl, dh, dw, groups;
};

// Runs one convolution on `threads` OpenMP threads (the caller has set OpenMP's count to it), on
// caller-owned plain buffers:
//   kForward:         a = x [N, C, H, W], b = weight, bias [O] or null  -> out = y [N, O, Ho, Wo]
//   kBackwardData:    a = dy [N, O, Ho, Wo], b = weight                 -> out = dx [N, C, H, W]
//   kBackwardWeights: a = x, b = dy                                      -> out = dweight
// `out` is overwritten. The primitive works in the layouts it prefers: inputs are reordered into
// reusable scratch buffers and the result is reordered back into `out`. Primitives, reorders and
// their descriptors are cached by geometry, kind and thread count (a bounded cache per thread).
// Returns false, having touched nothing, when oneDNN has no optimized kernel for this geometry
// (the caller then runs its own); throws std::runtime_error when oneDNN fails while running.
bool dnnlConv(DnnlConvKind kind, const DnnlConvShape& s, int threads, const float* a, const float* b, const float* bias, float* out);

}  // namespace flint
