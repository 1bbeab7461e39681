// Flint's native CPU kernels: single-precision matrix products through OpenBLAS's cblas_sgemm and
// 2-D convolutions (forward and both gradients) as im2col / col2im around sgemm. Every kernel
// works in place on caller-provided Float32Arrays (which may be views into a WebAssembly heap):
// nothing is copied in or out. Layouts: row-major matrices; convolutions in NHWC with HWIO filters
// (TensorFlow's layouts), so that one im2col row is a contiguous run of channels.
#include <napi.h>

#include <cblas.h>
#ifdef FLINT_DNNL
#include <omp.h>
#include <oneapi/dnnl/dnnl.h>
#include <pthread.h>

#include <csignal>

#include "dnnl-conv.h"
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

// A Float32Array argument as a pointer and a length (in floats).
struct Floats {
  float* data;
  size_t length;
};

Floats floatsArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  Napi::Env env = info.Env();
  if (i >= info.Length() || !info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw Napi::TypeError::New(env, std::string(fn) + "(): " + name + " must be a Float32Array");
  }
  Napi::Float32Array a = info[i].As<Napi::Float32Array>();
  return {a.Data(), a.ElementLength()};
}

double numberArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  if (i >= info.Length() || !info[i].IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(fn) + "(): " + name + " must be a number");
  return info[i].As<Napi::Number>().DoubleValue();
}

bool hasArg(const Napi::CallbackInfo& info, size_t i) {
  return i < info.Length() && !info[i].IsUndefined() && !info[i].IsNull();
}

int64_t intArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name, int64_t min = 0) {
  Napi::Env env = info.Env();
  if (i >= info.Length() || !info[i].IsNumber()) throw Napi::TypeError::New(env, std::string(fn) + "(): " + name + " must be a number");
  double v = info[i].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(v) || v != std::floor(v) || v < static_cast<double>(min) || v > 2147483647.0) {
    throw Napi::RangeError::New(env, std::string(fn) + "(): " + name + " must be an integer >= " + std::to_string(min) + " (got " + std::to_string(v) + ")");
  }
  return static_cast<int64_t>(v);
}

void needs(Napi::Env env, const Floats& a, int64_t n, const char* fn, const char* name) {
  if (n > 0 && static_cast<int64_t>(a.length) < n) {
    throw Napi::RangeError::New(env, std::string(fn) + "(): " + name + " holds " + std::to_string(a.length) + " floats but the shapes need " + std::to_string(n));
  }
}

// --- activations applied after a product or a convolution -----------------------------------

enum Activation { kLinear = 0, kRelu = 1, kRelu6 = 2, kLeakyRelu = 3, kElu = 4, kSigmoid = 5 };

// out[r, c] = act(out[r, c] + bias[c % biasLen]) over `rows` rows of `cols` values.
void biasActivation(float* out, int64_t rows, int64_t cols, const float* bias, int64_t biasLen, int act, float alpha) {
  for (int64_t r = 0; r < rows; r++) {
    float* row = out + r * cols;
    if (bias != nullptr) {
      if (biasLen == cols) {
        for (int64_t c = 0; c < cols; c++) row[c] += bias[c];
      } else if (biasLen == 1) {
        for (int64_t c = 0; c < cols; c++) row[c] += bias[0];
      } else {
        const float* b = bias + (r * cols) % biasLen;
        for (int64_t c = 0; c < cols; c++) row[c] += b[c];
      }
    }
    switch (act) {
      case kRelu:
        for (int64_t c = 0; c < cols; c++) row[c] = row[c] < 0.f ? 0.f : row[c];
        break;
      case kRelu6:
        for (int64_t c = 0; c < cols; c++) row[c] = std::min(6.f, std::max(0.f, row[c]));
        break;
      case kLeakyRelu:
        for (int64_t c = 0; c < cols; c++) row[c] = row[c] < 0.f ? alpha * row[c] : row[c];
        break;
      case kElu:
        for (int64_t c = 0; c < cols; c++) row[c] = row[c] < 0.f ? std::expm1(row[c]) : row[c];
        break;
      case kSigmoid:
        for (int64_t c = 0; c < cols; c++) row[c] = 1.f / (1.f + std::exp(-row[c]));
        break;
      default:
        break;
    }
  }
}

// --- threads ----------------------------------------------------------------------------------

// The thread count asked for (setNumThreads; OpenBLAS's own default until then). Products smaller
// than kParallelMacs multiply-adds run on one thread: waking a second thread costs more than it
// saves there, and on a loaded machine a product can wait milliseconds for a descheduled worker.
int wantedThreads = 0;
int currentThreads = 0;
constexpr double kParallelMacs = 8.0 * 1024 * 1024;

// Set while a convolution's blocks run on several threads of its own: each product then stays on
// one OpenBLAS thread.
bool pinnedToOne = false;

// Which library runs the products: oneDNN's sgemm (its own JIT kernels for the CPU it finds) when
// the addon was built with it, else OpenBLAS. setGemm() switches at run time.
#ifdef FLINT_DNNL
bool useDnnl = true;
#else
bool useDnnl = false;
#endif

// Sets the thread count of both libraries for the calling thread (OpenMP's count, which oneDNN
// follows, is per thread: a worker thread sets its own).
void setThreads(int t) {
  openblas_set_num_threads(t);
#ifdef FLINT_DNNL
  omp_set_num_threads(t);
#endif
}

// oneDNN 2.x's JIT sgemm points the stack register into the heap while it runs (fixed in oneDNN
// 3.11.2): a signal handled on that thread meanwhile (V8's sampling profiler, a child's SIGCHLD,
// any handler) writes its frame into the heap and corrupts it. So a kernel that can reach oneDNN
// runs with asynchronous signals blocked on its thread; pending ones arrive when it returns.
// OpenMP's and the convolutions' worker threads start inside such a call and inherit the mask.
// Faults (SIGSEGV and the like) stay unblocked.
class SignalBlock {
 public:
  SignalBlock() {
#ifdef FLINT_DNNL
    if (!useDnnl) return;
    counted_ = true;
    if (depth++ > 0) return;  // an outer block on this thread already holds them
    sigset_t all;
    sigfillset(&all);
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT}) sigdelset(&all, sig);
    blocked_ = pthread_sigmask(SIG_BLOCK, &all, &old_) == 0;
#endif
  }
  ~SignalBlock() {
#ifdef FLINT_DNNL
    if (counted_) depth--;
    if (blocked_) pthread_sigmask(SIG_SETMASK, &old_, nullptr);
#endif
  }
  SignalBlock(const SignalBlock&) = delete;
  SignalBlock& operator=(const SignalBlock&) = delete;

 private:
#ifdef FLINT_DNNL
  static thread_local int depth;
  sigset_t old_;
  bool counted_ = false;
  bool blocked_ = false;
#endif
};
#ifdef FLINT_DNNL
thread_local int SignalBlock::depth = 0;
#endif

// An addon function that runs with signals blocked (see SignalBlock).
template <Napi::Value (*F)(const Napi::CallbackInfo&)>
Napi::Value Blocked(const Napi::CallbackInfo& info) {
  SignalBlock block;
  return F(info);
}

void threadsFor(double macs) {
  if (pinnedToOne) return;
  if (wantedThreads == 0) wantedThreads = currentThreads = openblas_get_num_threads();
  const int t = macs >= kParallelMacs ? wantedThreads : 1;
  if (t != currentThreads) {
    setThreads(t);
    currentThreads = t;
  }
}

void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda, const float* b, int64_t ldb, float beta, float* c,
          int64_t ldc) {
  threadsFor(static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k));
#ifdef FLINT_DNNL
  if (useDnnl) {
    // Row-major like the cblas call below; a failure (only bad arguments, which the callers rule
    // out) falls through to OpenBLAS.
    if (dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) == dnnl_success) return;
  }
#endif
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, static_cast<int>(m), static_cast<int>(n), static_cast<int>(k),
              alpha, a, static_cast<int>(lda), b, static_cast<int>(ldb), beta, c, static_cast<int>(ldc));
}

// --- sgemm ------------------------------------------------------------------------------------

// sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, batch, strideA, strideB, strideC)
// C[i] = alpha * op(A[i]) op(B[i]) + beta * C[i] for i < batch, row-major; a stride of 0 reuses
// one matrix for every batch entry.
Napi::Value Sgemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "sgemm";
  const bool ta = info[0].ToBoolean();
  const bool tb = info[1].ToBoolean();
  const int64_t m = intArg(info, 2, fn, "m");
  const int64_t n = intArg(info, 3, fn, "n");
  const int64_t k = intArg(info, 4, fn, "k");
  const float alpha = info[5].As<Napi::Number>().FloatValue();
  Floats a = floatsArg(info, 6, fn, "a");
  const int64_t lda = intArg(info, 7, fn, "lda", 1);
  Floats b = floatsArg(info, 8, fn, "b");
  const int64_t ldb = intArg(info, 9, fn, "ldb", 1);
  const float beta = info[10].As<Napi::Number>().FloatValue();
  Floats c = floatsArg(info, 11, fn, "c");
  const int64_t ldc = intArg(info, 12, fn, "ldc", 1);
  const int64_t batch = intArg(info, 13, fn, "batch");
  const int64_t sa = intArg(info, 14, fn, "strideA");
  const int64_t sb = intArg(info, 15, fn, "strideB");
  const int64_t sc = intArg(info, 16, fn, "strideC");
  // Rows and columns of each stored matrix, and the leading dimensions they need.
  const int64_t ar = ta ? k : m, ac = ta ? m : k;
  const int64_t br = tb ? n : k, bc = tb ? k : n;
  if (lda < std::max<int64_t>(1, ac) || ldb < std::max<int64_t>(1, bc) || ldc < std::max<int64_t>(1, n)) {
    throw Napi::RangeError::New(env, "sgemm(): a leading dimension is smaller than its matrix's row length");
  }
  if (batch == 0 || m == 0 || n == 0) return env.Undefined();
  needs(env, a, k == 0 ? 0 : (batch - 1) * sa + (ar - 1) * lda + ac, fn, "a");
  needs(env, b, k == 0 ? 0 : (batch - 1) * sb + (br - 1) * ldb + bc, fn, "b");
  needs(env, c, (batch - 1) * sc + (m - 1) * ldc + n, fn, "c");
  if (sc == 0 && batch > 1) throw Napi::RangeError::New(env, "sgemm(): strideC must be positive when batch > 1");
  for (int64_t i = 0; i < batch; i++) {
    float* ci = c.data + i * sc;
    if (k == 0) {
      for (int64_t r = 0; r < m; r++) {
        float* row = ci + r * ldc;
        if (beta == 0.f) std::fill(row, row + n, 0.f);
        else for (int64_t j = 0; j < n; j++) row[j] *= beta;
      }
      continue;
    }
    gemm(ta, tb, m, n, k, alpha, a.data + i * sa, lda, b.data + i * sb, ldb, beta, ci, ldc);
  }
  return env.Undefined();
}

// biasActivation(out, rows, cols, bias | null, activation, alpha)
Napi::Value BiasActivation(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "biasActivation";
  Floats out = floatsArg(info, 0, fn, "out");
  const int64_t rows = intArg(info, 1, fn, "rows");
  const int64_t cols = intArg(info, 2, fn, "cols");
  needs(env, out, rows * cols, fn, "out");
  const float* bias = nullptr;
  int64_t biasLen = 0;
  if (hasArg(info, 3)) {
    Floats b = floatsArg(info, 3, fn, "bias");
    bias = b.data;
    biasLen = static_cast<int64_t>(b.length);
    if (biasLen == 0 || (biasLen != 1 && biasLen != cols && (biasLen % cols != 0 || (rows * cols) % biasLen != 0))) {
      throw Napi::RangeError::New(env, "biasActivation(): bias must hold 1, cols, or a divisor-of-the-output multiple of cols floats");
    }
  }
  const int64_t act = intArg(info, 4, fn, "activation");
  const float alpha = hasArg(info, 5) ? info[5].As<Napi::Number>().FloatValue() : 0.f;
  biasActivation(out.data, rows, cols, bias, biasLen, static_cast<int>(act), alpha);
  return env.Undefined();
}

// --- convolutions -----------------------------------------------------------------------------

// The geometry of one NHWC convolution with an HWIO filter.
struct Conv {
  int64_t n, h, w, ci, ho, wo, co, kh, kw, sh, sw, pt, pl, dh, dw;
  int64_t kdim() const { return kh * kw * ci; }
  int64_t inSize() const { return n * h * w * ci; }
  int64_t outSize() const { return n * ho * wo * co; }
  int64_t filterSize() const { return kdim() * co; }
  // A 1x1 window with unit stride and no padding reads x as it is: no im2col needed.
  bool direct() const { return kh == 1 && kw == 1 && sh == 1 && sw == 1 && pt == 0 && pl == 0 && ho == h && wo == w; }
};

// The geometry from an array of 15 integers at info[i]. im2col and col2im clamp every access to
// the input, so an inconsistent geometry gives wrong numbers, never an access out of bounds.
Conv convArg(const Napi::CallbackInfo& info, size_t i, const char* fn) {
  Napi::Env env = info.Env();
  if (i >= info.Length() || !info[i].IsArray()) throw Napi::TypeError::New(env, std::string(fn) + "(): geometry must be an array of 15 numbers");
  Napi::Array g = info[i].As<Napi::Array>();
  if (g.Length() != 15) throw Napi::TypeError::New(env, std::string(fn) + "(): geometry must be an array of 15 numbers");
  int64_t v[15];
  static const char* names[15] = {"batch", "inHeight", "inWidth", "inChannels", "outHeight", "outWidth", "outChannels", "kernelHeight",
                                  "kernelWidth", "strideHeight", "strideWidth", "padTop", "padLeft", "dilationHeight", "dilationWidth"};
  for (uint32_t j = 0; j < 15; j++) {
    Napi::Value x = g.Get(j);
    double d = x.IsNumber() ? x.As<Napi::Number>().DoubleValue() : -1;
    const double min = (j >= 9 && j <= 10) || j >= 13 ? 1 : 0;
    if (!std::isfinite(d) || d != std::floor(d) || d < min || d > 1e9) {
      throw Napi::RangeError::New(env, std::string(fn) + "(): geometry." + names[j] + " must be an integer >= " + std::to_string(static_cast<int>(min)));
    }
    v[j] = static_cast<int64_t>(d);
  }
  return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14]};
}

// One growing scratch buffer per thread (worker threads may run kernels at the same time).
float* scratch(size_t n) {
  thread_local std::vector<float> buf;
  if (buf.size() < n) buf.resize(n);
  return buf.data();
}

// Rows of the im2col matrix per chunk: blocks of about 1 M floats (4 MiB), so that the rows stay
// in the cache between im2col writing them and sgemm reading them (measured on resnet18's 3x3
// convolutions: 20-30% faster than whole images at a time).
constexpr int64_t kColFloats = int64_t{1} << 20;

int64_t chunkRows(const Conv& g) {
  const int64_t rows = g.n * g.ho * g.wo;
  return std::max<int64_t>(1, std::min<int64_t>(rows, kColFloats / std::max<int64_t>(1, g.kdim())));
}

// col[r - r0, (i, j, c)] = x[b, oh * sh - pt + i * dh, ow * sw - pl + j * dw, c] for the output
// positions r = (b, oh, ow) in [r0, r0 + rows) (0 outside the input).
void im2col(const Conv& g, const float* x, int64_t r0, int64_t rows, float* col) {
  const int64_t ci = g.ci;
  const int64_t rowLen = g.kdim();
  for (int64_t r = r0; r < r0 + rows; r++) {
    const int64_t b = r / (g.ho * g.wo);
    const int64_t oh = (r / g.wo) % g.ho;
    const int64_t ow = r % g.wo;
    const float* img = x + b * g.h * g.w * ci;
    float* row = col + (r - r0) * rowLen;
    for (int64_t i = 0; i < g.kh; i++) {
      const int64_t y = oh * g.sh - g.pt + i * g.dh;
      float* dst = row + i * g.kw * ci;
      if (y < 0 || y >= g.h) {
        std::memset(dst, 0, sizeof(float) * g.kw * ci);
        continue;
      }
      const float* src = img + y * g.w * ci;
      const int64_t x0 = ow * g.sw - g.pl;
      if (g.dw == 1 && x0 >= 0 && x0 + g.kw <= g.w) {
        std::memcpy(dst, src + x0 * ci, sizeof(float) * g.kw * ci);
        continue;
      }
      for (int64_t j = 0; j < g.kw; j++) {
        const int64_t xx = x0 + j * g.dw;
        if (xx < 0 || xx >= g.w) std::memset(dst + j * ci, 0, sizeof(float) * ci);
        else if (ci == 1) dst[j] = src[xx];
        else std::memcpy(dst + j * ci, src + xx * ci, sizeof(float) * ci);
      }
    }
  }
}

// The adjoint of im2col: dx[b, y, x, c] += col[r - r0, (i, j, c)] for every window that reads it.
void col2im(const Conv& g, const float* col, int64_t r0, int64_t rows, float* dx) {
  const int64_t ci = g.ci;
  const int64_t rowLen = g.kdim();
  for (int64_t r = r0; r < r0 + rows; r++) {
    const int64_t b = r / (g.ho * g.wo);
    const int64_t oh = (r / g.wo) % g.ho;
    const int64_t ow = r % g.wo;
    float* img = dx + b * g.h * g.w * ci;
    const float* row = col + (r - r0) * rowLen;
    for (int64_t i = 0; i < g.kh; i++) {
      const int64_t y = oh * g.sh - g.pt + i * g.dh;
      if (y < 0 || y >= g.h) continue;
      float* dst = img + y * g.w * ci;
      const float* src = row + i * g.kw * ci;
      const int64_t x0 = ow * g.sw - g.pl;
      for (int64_t j = 0; j < g.kw; j++) {
        const int64_t xx = x0 + j * g.dw;
        if (xx < 0 || xx >= g.w) continue;
        float* d = dst + xx * ci;
        const float* s = src + j * ci;
        for (int64_t c = 0; c < ci; c++) d[c] += s[c];
      }
    }
  }
}

void transposedConv(const Conv& g, const float* dy, const float* f, float* dx);

// Whether a convolution is cheaper as a transposed convolution (see Conv2d).
bool viaTransposed(const Conv& g) {
  return g.sh == 1 && g.sw == 1 && g.pt <= (g.kh - 1) * g.dh && g.pl <= (g.kw - 1) * g.dw && g.h * g.w * g.co < g.ho * g.wo * g.ci;
}

// conv2d(x, filter, out, geometry, bias | null, activation, alpha): out = act(conv(x, filter) + bias).
Napi::Value Conv2d(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "conv2d";
  Floats x = floatsArg(info, 0, fn, "x");
  Floats f = floatsArg(info, 1, fn, "filter");
  Floats out = floatsArg(info, 2, fn, "out");
  Conv g = convArg(info, 3, fn);
  needs(env, x, g.inSize(), fn, "x");
  needs(env, f, g.filterSize(), fn, "filter");
  needs(env, out, g.outSize(), fn, "out");
  const float* bias = nullptr;
  int64_t biasLen = 0;
  if (hasArg(info, 4)) {
    Floats b = floatsArg(info, 4, fn, "bias");
    if (b.length != 1 && static_cast<int64_t>(b.length) != g.co) throw Napi::RangeError::New(env, "conv2d(): bias must hold 1 or outChannels floats");
    bias = b.data;
    biasLen = static_cast<int64_t>(b.length);
  }
  const int act = hasArg(info, 5) ? static_cast<int>(intArg(info, 5, fn, "activation")) : kLinear;
  const float alpha = hasArg(info, 6) ? info[6].As<Napi::Number>().FloatValue() : 0.f;
  const int64_t rowsPerImage = g.ho * g.wo;
  const int64_t kd = g.kdim();
  if (g.outSize() == 0) return env.Undefined();
  if (kd == 0) {
    std::fill(out.data, out.data + g.outSize(), 0.f);
  } else if (g.direct()) {
    gemm(false, false, g.n * rowsPerImage, g.co, kd, 1.f, x.data, kd, f.data, g.co, 0.f, out.data, g.co);
  } else if (viaTransposed(g)) {
    // A stride-1 convolution padded by at most (k - 1) * dilation is also the transposed
    // convolution of x with the flipped filter, whose col2im moves h * w * co values per image
    // where im2col moves ho * wo * ci (a gradient written as a "full" convolution: far fewer).
    const int64_t fullH = (g.kh - 1) * g.dh, fullW = (g.kw - 1) * g.dw;
    const Conv t{g.n, g.ho, g.wo, g.co, g.h, g.w, g.ci, g.kh, g.kw, 1, 1, fullH - g.pt, fullW - g.pl, g.dh, g.dw};
    thread_local std::vector<float> flipped;
    flipped.resize(static_cast<size_t>(g.filterSize()));
    // flipped[i, j, c, o] = f[kh - 1 - i, kw - 1 - j, o, c]
    for (int64_t i = 0; i < g.kh; i++)
      for (int64_t j = 0; j < g.kw; j++)
        for (int64_t c = 0; c < g.co; c++)
          for (int64_t o = 0; o < g.ci; o++)
            flipped[((i * g.kw + j) * g.co + c) * g.ci + o] = f.data[(((g.kh - 1 - i) * g.kw + (g.kw - 1 - j)) * g.ci + o) * g.co + c];
    transposedConv(t, x.data, flipped.data(), out.data);
  } else {
    const int64_t total = g.n * rowsPerImage;
    const int64_t chunk = chunkRows(g);
    float* col = scratch(static_cast<size_t>(chunk * kd));
    for (int64_t r0 = 0; r0 < total; r0 += chunk) {
      const int64_t rows = std::min(chunk, total - r0);
      im2col(g, x.data, r0, rows, col);
      gemm(false, false, rows, g.co, kd, 1.f, col, kd, f.data, g.co, 0.f, out.data + r0 * g.co, g.co);
    }
  }
  if (bias != nullptr || act != kLinear) biasActivation(out.data, g.n * rowsPerImage, g.co, bias, biasLen, act, alpha);
  return env.Undefined();
}

// dx = the adjoint of conv2d(., filter) in its input, applied to dy (a transposed convolution).
void transposedConv(const Conv& g, const float* dy, const float* f, float* dx) {
  const int64_t rowsPerImage = g.ho * g.wo;
  const int64_t kd = g.kdim();
  if (g.direct() && g.co > 0) {
    gemm(false, true, g.n * rowsPerImage, kd, g.co, 1.f, dy, g.co, f, g.co, 0.f, dx, kd);
    return;
  }
  std::fill(dx, dx + g.inSize(), 0.f);
  if (g.co == 0 || rowsPerImage == 0) return;
  const int64_t total = g.n * rowsPerImage;
  const int64_t chunk = chunkRows(g);
  float* col = scratch(static_cast<size_t>(chunk * kd));
  for (int64_t r0 = 0; r0 < total; r0 += chunk) {
    const int64_t rows = std::min(chunk, total - r0);
    gemm(false, true, rows, kd, g.co, 1.f, dy + r0 * g.co, g.co, f, g.co, 0.f, col, kd);
    col2im(g, col, r0, rows, dx);
  }
}

// conv2dBackpropInput(dy, filter, dx, geometry): dx = the adjoint of conv2d in x, applied to dy.
Napi::Value Conv2dBackpropInput(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "conv2dBackpropInput";
  Floats dy = floatsArg(info, 0, fn, "dy");
  Floats f = floatsArg(info, 1, fn, "filter");
  Floats dx = floatsArg(info, 2, fn, "dx");
  Conv g = convArg(info, 3, fn);
  needs(env, dy, g.outSize(), fn, "dy");
  needs(env, f, g.filterSize(), fn, "filter");
  needs(env, dx, g.inSize(), fn, "dx");
  if (g.inSize() > 0) transposedConv(g, dy.data, f.data, dx.data);
  return env.Undefined();
}

// conv2dBackpropFilter(x, dy, df, geometry): df = the adjoint of conv2d in the filter, applied to dy.
Napi::Value Conv2dBackpropFilter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "conv2dBackpropFilter";
  Floats x = floatsArg(info, 0, fn, "x");
  Floats dy = floatsArg(info, 1, fn, "dy");
  Floats df = floatsArg(info, 2, fn, "dfilter");
  Conv g = convArg(info, 3, fn);
  needs(env, x, g.inSize(), fn, "x");
  needs(env, dy, g.outSize(), fn, "dy");
  needs(env, df, g.filterSize(), fn, "dfilter");
  const int64_t rowsPerImage = g.ho * g.wo;
  const int64_t kd = g.kdim();
  if (g.filterSize() == 0) return env.Undefined();
  if (g.n == 0 || rowsPerImage == 0) {
    std::fill(df.data, df.data + g.filterSize(), 0.f);
    return env.Undefined();
  }
  if (g.direct()) {
    gemm(true, false, kd, g.co, g.n * rowsPerImage, 1.f, x.data, kd, dy.data, g.co, 0.f, df.data, g.co);
    return env.Undefined();
  }
  const int64_t total = g.n * rowsPerImage;
  const int64_t chunk = chunkRows(g);
  float* col = scratch(static_cast<size_t>(chunk * kd));
  for (int64_t r0 = 0; r0 < total; r0 += chunk) {
    const int64_t rows = std::min(chunk, total - r0);
    im2col(g, x.data, r0, rows, col);
    gemm(true, false, kd, g.co, rows, 1.f, col, kd, dy.data + r0 * g.co, g.co, r0 == 0 ? 0.f : 1.f, df.data, g.co);
  }
  return env.Undefined();
}

// --- convolutions in PyTorch's layouts (NCHW inputs, OIHW weights) ----------------------------

// In NCHW one image's im2col matrix is [C * kH * kW, Ho * Wo] (a row per weight position, a
// column per output position), and the weight [O, C * kH * kW] is the product's left operand, so
// outputs and gradients come out in NCHW with no layout changes. Groups split the channels.
struct ConvN {
  Conv g;  // the same 15 numbers as the NHWC geometry (ci / co: all channels, not per group)
  int64_t groups;
  int64_t cg() const { return g.ci / groups; }
  int64_t og() const { return g.co / groups; }
  int64_t kdim() const { return cg() * g.kh * g.kw; }
  int64_t plane() const { return g.ho * g.wo; }
  int64_t inPlane() const { return g.h * g.w; }
};

ConvN convNArg(const Napi::CallbackInfo& info, size_t i, const char* fn) {
  Napi::Env env = info.Env();
  if (i + 1 >= info.Length() || !info[i + 1].IsNumber()) throw Napi::TypeError::New(env, std::string(fn) + "(): groups must be a number");
  ConvN c{convArg(info, i, fn), intArg(info, i + 1, fn, "groups", 1)};
  if (c.g.ci % c.groups != 0 || c.g.co % c.groups != 0) throw Napi::RangeError::New(env, std::string(fn) + "(): groups must divide inChannels and outChannels");
  return c;
}

// A block of output positions processed at once: rows [oh0, oh1) of image b0 alone, or whole
// images b0 .. b0 + nb - 1 (small images are batched so that one product has enough columns).
struct Block {
  int64_t b0, nb, oh0, oh1;
};

// Blocks of about kColFloats im2col floats (block sizes from 256 K to 1 M floats measured the
// same on resnet18's and LeNet's convolutions); `direct` convolutions take one image at a time.
std::vector<Block> blocksOf(const ConvN& c, bool direct) {
  const Conv& g = c.g;
  const int64_t per = std::max<int64_t>(1, kColFloats / std::max<int64_t>(1, c.kdim()));  // columns per block
  std::vector<Block> out;
  if (direct || c.plane() >= per) {
    const int64_t rows = direct ? g.ho : std::max<int64_t>(1, per / std::max<int64_t>(1, g.wo));
    for (int64_t b = 0; b < g.n; b++)
      for (int64_t oh = 0; oh < g.ho; oh += rows) out.push_back({b, 1, oh, std::min(g.ho, oh + rows)});
  } else {
    const int64_t imgs = std::max<int64_t>(1, per / c.plane());
    for (int64_t b = 0; b < g.n; b += imgs) out.push_back({b, std::min(imgs, g.n - b), 0, g.ho});
  }
  return out;
}

int64_t blockCols(const Conv& g, const Block& k) { return k.nb * (k.oh1 - k.oh0) * g.wo; }

// The most columns any of `blocks` has: what the im2col and product scratch must hold.
int64_t widestBlock(const Conv& g, const std::vector<Block>& blocks) {
  int64_t most = 0;
  for (const Block& k : blocks) most = std::max(most, blockCols(g, k));
  return most;
}

// The valid output columns [lo, hi) of one kernel column j: those whose input x lies in [0, w).
void validRange(const Conv& g, int64_t j, int64_t& lo, int64_t& hi) {
  const int64_t x0 = -g.pl + j * g.dw;  // input x of output column 0
  lo = x0 >= 0 ? 0 : (-x0 + g.sw - 1) / g.sw;
  hi = x0 >= g.w ? 0 : std::min<int64_t>(g.wo, (g.w - 1 - x0) / g.sw + 1);
  if (hi < lo) hi = lo;
}

// col[(cc, i, j), t * rows * wo + (oh - oh0) * wo + ow] = x[b0 + t, c0 + cc, oh * sh - pt + i * dh, ow * sw - pl + j * dw]
void im2colN(const ConvN& c, const float* x, int64_t c0, const Block& k, float* col) {
  const Conv& g = c.g;
  const int64_t ld = blockCols(g, k);
  const int64_t rows = k.oh1 - k.oh0;
  for (int64_t cc = 0; cc < c.cg(); cc++)
    for (int64_t i = 0; i < g.kh; i++)
      for (int64_t j = 0; j < g.kw; j++) {
        float* dstRow = col + ((cc * g.kh + i) * g.kw + j) * ld;
        int64_t lo, hi;
        validRange(g, j, lo, hi);
        const int64_t x0 = -g.pl + j * g.dw;
        for (int64_t t = 0; t < k.nb; t++) {
          const float* img = x + ((k.b0 + t) * g.ci + c0 + cc) * c.inPlane();
          for (int64_t oh = k.oh0; oh < k.oh1; oh++) {
            float* d = dstRow + (t * rows + oh - k.oh0) * g.wo;
            const int64_t y = oh * g.sh - g.pt + i * g.dh;
            if (y < 0 || y >= g.h) {
              std::memset(d, 0, sizeof(float) * g.wo);
              continue;
            }
            const float* src = img + y * g.w;
            if (lo > 0) std::memset(d, 0, sizeof(float) * lo);
            if (g.sw == 1) {
              if (hi > lo) std::memcpy(d + lo, src + x0 + lo, sizeof(float) * (hi - lo));
            } else {
              for (int64_t ow = lo; ow < hi; ow++) d[ow] = src[x0 + ow * g.sw];
            }
            if (hi < g.wo) std::memset(d + hi, 0, sizeof(float) * (g.wo - hi));
          }
        }
      }
}

// The adjoint of im2colN: dx[...] += col[...] (dx zeroed by the caller).
void col2imN(const ConvN& c, const float* col, int64_t c0, const Block& k, float* dx) {
  const Conv& g = c.g;
  const int64_t ld = blockCols(g, k);
  const int64_t rows = k.oh1 - k.oh0;
  for (int64_t cc = 0; cc < c.cg(); cc++)
    for (int64_t i = 0; i < g.kh; i++)
      for (int64_t j = 0; j < g.kw; j++) {
        const float* srcRow = col + ((cc * g.kh + i) * g.kw + j) * ld;
        int64_t lo, hi;
        validRange(g, j, lo, hi);
        const int64_t x0 = -g.pl + j * g.dw;
        for (int64_t t = 0; t < k.nb; t++) {
          float* img = dx + ((k.b0 + t) * g.ci + c0 + cc) * c.inPlane();
          for (int64_t oh = k.oh0; oh < k.oh1; oh++) {
            const int64_t y = oh * g.sh - g.pt + i * g.dh;
            if (y < 0 || y >= g.h) continue;
            const float* s = srcRow + (t * rows + oh - k.oh0) * g.wo;
            float* d = img + y * g.w;
            if (g.sw == 1) {
              float* d1 = d + x0 + lo;
              const float* s1 = s + lo;
              for (int64_t q = 0; q < hi - lo; q++) d1[q] += s1[q];
            } else {
              for (int64_t ow = lo; ow < hi; ow++) d[x0 + ow * g.sw] += s[ow];
            }
          }
        }
      }
}

// A [rows, cols] matrix of one group's planes within a block: `og` channel rows from channel o0
// of NCHW data `t` with `chans` channels. One image's rows are read in place (leading dimension
// Ho * Wo); several images are gathered into `tmp` (leading dimension cols).
const float* planesOf(const ConvN& c, const float* t, int64_t chans, int64_t o0, int64_t og, const Block& k, float* tmp, int64_t& ld) {
  const int64_t P = c.plane();
  if (k.nb == 1) {
    ld = P;
    return t + (k.b0 * chans + o0) * P + k.oh0 * c.g.wo;
  }
  ld = blockCols(c.g, k);
  for (int64_t o = 0; o < og; o++)
    for (int64_t b = 0; b < k.nb; b++) std::memcpy(tmp + o * ld + b * P, t + ((k.b0 + b) * chans + o0 + o) * P, sizeof(float) * P);
  return tmp;
}

// The inverse of planesOf for an output: scatters `tmp` back into NCHW `t` (several images).
void scatterPlanes(const ConvN& c, float* t, int64_t chans, int64_t o0, int64_t og, const Block& k, const float* tmp) {
  const int64_t P = c.plane();
  const int64_t ld = blockCols(c.g, k);
  for (int64_t o = 0; o < og; o++)
    for (int64_t b = 0; b < k.nb; b++) std::memcpy(t + ((k.b0 + b) * chans + o0 + o) * P, tmp + o * ld + b * P, sizeof(float) * P);
}

float* scratchB(size_t n) {
  thread_local std::vector<float> buf;
  if (buf.size() < n) buf.resize(n);
  return buf.data();
}

// Adds bias[ch] to every value of channel ch of NCHW data.
void channelBias(float* t, int64_t n, int64_t chans, int64_t plane, const float* bias) {
  for (int64_t b = 0; b < n; b++)
    for (int64_t ch = 0; ch < chans; ch++) {
      float* p = t + (b * chans + ch) * plane;
      const float v = bias[ch];
      for (int64_t q = 0; q < plane; q++) p[q] += v;
    }
}

const float* optionalBias(const Napi::CallbackInfo& info, size_t i, const char* fn, int64_t len) {
  if (!hasArg(info, i)) return nullptr;
  Floats b = floatsArg(info, i, fn, "bias");
  if (static_cast<int64_t>(b.length) < len) throw Napi::RangeError::New(info.Env(), std::string(fn) + "(): bias must hold " + std::to_string(len) + " floats");
  return b.data;
}

#ifdef FLINT_DNNL
using flint::DnnlConvKind;

// Where oneDNN's convolution primitives (direct JIT kernels on blocked layouts, reorders to and
// from NCHW included) beat im2col + sgemm, measured on one thread of an AVX-512 EPYC on LeNet's
// and resnet18's convolutions (batch 64 and 8): every kernel larger than 1x1 (LeNet's conv2
// forward 0.17 ms against 0.45, resnet18's stem weight gradient 17 against 23, its 3x3 ones 5-20%
// faster), except the input gradient with fewer than 16 channels per group (LeNet's 1-channel
// one: 2.7 ms against 0.3; resnet18's stem: 55 against 17) or with a stride (resnet18's
// 256 -> 512 one: 6.4 ms against 5.3). 1x1 kernels measure the same or slower, and stay.
bool dnnlConvFaster(DnnlConvKind kind, const ConvN& c) {
  const Conv& g = c.g;
  if (g.kh * g.kw == 1) return false;
  if (kind == DnnlConvKind::kBackwardData) return c.cg() >= 16 && g.sh == 1 && g.sw == 1;
  return true;
}

// Runs one NCHW convolution kernel through oneDNN when the products' library is oneDNN, the
// geometry is one oneDNN implements with an optimized kernel, and that is the faster route; false
// when the caller should run im2col + sgemm instead. A failure while running is a JS error.
bool viaDnnl(Napi::Env env, const char* fn, DnnlConvKind kind, const ConvN& c, const float* a, const float* b, const float* bias, float* out) {
  const Conv& g = c.g;
  if (!useDnnl || g.n == 0 || g.h == 0 || g.w == 0 || g.ho == 0 || g.wo == 0 || c.cg() == 0 || c.og() == 0 || g.kh == 0 || g.kw == 0) return false;
  if (!dnnlConvFaster(kind, c)) return false;
  // The same thread rule as the products: small convolutions on one thread.
  threadsFor(static_cast<double>(g.outSize()) * static_cast<double>(c.kdim()));
  const flint::DnnlConvShape s{g.n, g.h, g.w, g.ci, g.ho, g.wo, g.co, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, c.groups};
  try {
    return flint::dnnlConv(kind, s, currentThreads, a, b, bias, out);
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(env, std::string(fn) + "(): out of memory for oneDNN's convolution buffers");
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, std::string(fn) + "(): " + e.what());
  }
}
#endif

// conv2dNchw(x, weight, out, geometry, groups, bias | null): out [N, O, Ho, Wo] = conv(x [N, C, H, W], weight [O, C / groups, kH, kW]) + bias.
Napi::Value Conv2dNchw(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "conv2dNchw";
  Floats x = floatsArg(info, 0, fn, "x");
  Floats w = floatsArg(info, 1, fn, "weight");
  Floats out = floatsArg(info, 2, fn, "out");
  const ConvN c = convNArg(info, 3, fn);
  const Conv& g = c.g;
  needs(env, x, g.inSize(), fn, "x");
  needs(env, w, g.co * c.kdim(), fn, "weight");
  needs(env, out, g.outSize(), fn, "out");
  const float* bias = optionalBias(info, 5, fn, g.co);
  if (g.outSize() == 0) return env.Undefined();
#ifdef FLINT_DNNL
  if (viaDnnl(env, fn, DnnlConvKind::kForward, c, x.data, w.data, bias, out.data)) return env.Undefined();
#endif
  const int64_t K = c.kdim(), og = c.og(), P = c.plane();
  if (K == 0) {
    std::fill(out.data, out.data + g.outSize(), 0.f);
  } else {
    const bool direct = g.direct();
    const std::vector<Block> blocks = blocksOf(c, direct);
    const int64_t maxCols = widestBlock(g, blocks);
    const int64_t colLen = direct ? 0 : K * maxCols;
    // Blocks [first, last) of every group, with this thread's scratch.
    auto run = [&](float* col, float* tmp, size_t first, size_t last) {
      for (int64_t gi = 0; gi < c.groups; gi++) {
        const int64_t c0 = gi * c.cg(), o0 = gi * og;
        const float* wg = w.data + o0 * K;
        for (size_t bi = first; bi < last; bi++) {
          const Block& k = blocks[bi];
          const int64_t L = blockCols(g, k);
          const float* bm;
          int64_t ldb;
          if (direct) {
            bm = x.data + (k.b0 * g.ci + c0) * P;
            ldb = P;
          } else {
            im2colN(c, x.data, c0, k, col);
            bm = col;
            ldb = L;
          }
          if (k.nb == 1) {
            gemm(false, false, og, L, K, 1.f, wg, K, bm, ldb, 0.f, out.data + (k.b0 * g.co + o0) * P + k.oh0 * g.wo, P);
          } else {
            gemm(false, false, og, L, K, 1.f, wg, K, bm, ldb, 0.f, tmp, L);
            scatterPlanes(c, out.data, g.co, o0, og, k, tmp);
          }
        }
      }
    };
    // A large convolution splits its blocks between the threads asked for, so that im2col runs in
    // parallel too (each product then on one OpenBLAS thread); blocks write disjoint outputs.
    if (wantedThreads == 0) wantedThreads = currentThreads = openblas_get_num_threads();
    const double macs = static_cast<double>(g.outSize()) * static_cast<double>(K);
    const int threads = macs >= kParallelMacs ? static_cast<int>(std::min<int64_t>(wantedThreads, static_cast<int64_t>(blocks.size()))) : 1;
    const size_t bufLen = static_cast<size_t>(colLen + og * maxCols);
    if (threads <= 1) {
      float* buf = scratch(bufLen);
      run(buf, buf + colLen, 0, blocks.size());
    } else {
      thread_local std::vector<std::vector<float>> bufs;
      if (bufs.size() < static_cast<size_t>(threads)) bufs.resize(static_cast<size_t>(threads));
      for (int t = 0; t < threads; t++)
        if (bufs[t].size() < bufLen) bufs[t].resize(bufLen);
      if (currentThreads != 1) {
        setThreads(1);
        currentThreads = 1;
      }
      pinnedToOne = true;
      std::vector<std::thread> workers;
      const size_t nb = blocks.size();
      for (int t = 1; t < threads; t++) {
        float* buf = bufs[t].data();
        workers.emplace_back([&run, buf, colLen, nb, t, threads] {
#ifdef FLINT_DNNL
          omp_set_num_threads(1);
#endif
          run(buf, buf + colLen, nb * t / threads, nb * (t + 1) / threads);
        });
      }
      run(bufs[0].data(), bufs[0].data() + colLen, 0, nb / threads);
      for (std::thread& t : workers) t.join();
      pinnedToOne = false;
    }
  }
  if (bias != nullptr) channelBias(out.data, g.n, g.co, P, bias);
  return env.Undefined();
}

// conv2dNchwBackpropInput(dy, weight, dx, geometry, groups, bias | null): dx = the adjoint of
// conv2dNchw in x applied to dy (a transposed convolution), plus bias [C] when given.
Napi::Value Conv2dNchwBackpropInput(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "conv2dNchwBackpropInput";
  Floats dy = floatsArg(info, 0, fn, "dy");
  Floats w = floatsArg(info, 1, fn, "weight");
  Floats dx = floatsArg(info, 2, fn, "dx");
  const ConvN c = convNArg(info, 3, fn);
  const Conv& g = c.g;
  needs(env, dy, g.outSize(), fn, "dy");
  needs(env, w, g.co * c.kdim(), fn, "weight");
  needs(env, dx, g.inSize(), fn, "dx");
  const float* bias = optionalBias(info, 5, fn, g.ci);
  if (g.inSize() == 0) return env.Undefined();
  const int64_t K = c.kdim(), og = c.og(), P = c.plane(), Q = c.inPlane();
  const bool direct = g.direct();
#ifdef FLINT_DNNL
  const bool done = viaDnnl(env, fn, DnnlConvKind::kBackwardData, c, dy.data, w.data, nullptr, dx.data);
#else
  const bool done = false;
#endif
  if (!done && (!direct || og == 0)) std::fill(dx.data, dx.data + g.inSize(), 0.f);
  if (!done && K > 0 && og > 0 && P > 0) {
    const std::vector<Block> blocks = blocksOf(c, direct);
    const int64_t maxCols = widestBlock(g, blocks);
    float* col = direct ? nullptr : scratch(static_cast<size_t>(K * maxCols));
    float* tmp = scratchB(static_cast<size_t>(og * maxCols));
    for (int64_t gi = 0; gi < c.groups; gi++) {
      const int64_t c0 = gi * c.cg(), o0 = gi * og;
      const float* wg = w.data + o0 * K;
      for (const Block& k : blocks) {
        const int64_t L = blockCols(g, k);
        int64_t ldb;
        const float* bm = planesOf(c, dy.data, g.co, o0, og, k, tmp, ldb);
        if (direct) {
          gemm(true, false, K, L, og, 1.f, wg, K, bm, ldb, 0.f, dx.data + (k.b0 * g.ci + c0) * Q, Q);
        } else {
          gemm(true, false, K, L, og, 1.f, wg, K, bm, ldb, 0.f, col, L);
          col2imN(c, col, c0, k, dx.data);
        }
      }
    }
  }
  if (bias != nullptr) channelBias(dx.data, g.n, g.ci, Q, bias);
  return env.Undefined();
}

// conv2dNchwBackpropFilter(x, dy, dweight, geometry, groups): dweight [O, C / groups, kH, kW] =
// the adjoint of conv2dNchw in its weight applied to dy.
Napi::Value Conv2dNchwBackpropFilter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "conv2dNchwBackpropFilter";
  Floats x = floatsArg(info, 0, fn, "x");
  Floats dy = floatsArg(info, 1, fn, "dy");
  Floats dw = floatsArg(info, 2, fn, "dweight");
  const ConvN c = convNArg(info, 3, fn);
  const Conv& g = c.g;
  const int64_t K = c.kdim(), og = c.og(), P = c.plane();
  needs(env, x, g.inSize(), fn, "x");
  needs(env, dy, g.outSize(), fn, "dy");
  needs(env, dw, g.co * K, fn, "dweight");
  if (g.co * K == 0) return env.Undefined();
#ifdef FLINT_DNNL
  if (viaDnnl(env, fn, DnnlConvKind::kBackwardWeights, c, x.data, dy.data, nullptr, dw.data)) return env.Undefined();
#endif
  std::fill(dw.data, dw.data + g.co * K, 0.f);
  if (g.n == 0 || P == 0) return env.Undefined();
  const bool direct = g.direct();
  const std::vector<Block> blocks = blocksOf(c, direct);
  const int64_t maxCols = widestBlock(g, blocks);
  float* col = direct ? nullptr : scratch(static_cast<size_t>(K * maxCols));
  float* tmp = scratchB(static_cast<size_t>(og * maxCols));
  for (int64_t gi = 0; gi < c.groups; gi++) {
    const int64_t c0 = gi * c.cg(), o0 = gi * og;
    float* dwg = dw.data + o0 * K;
    for (const Block& k : blocks) {
      const int64_t L = blockCols(g, k);
      int64_t lda;
      const float* am = planesOf(c, dy.data, g.co, o0, og, k, tmp, lda);
      if (direct) {
        gemm(false, true, og, K, L, 1.f, am, lda, x.data + (k.b0 * g.ci + c0) * P, P, 1.f, dwg, K);
      } else {
        im2colN(c, x.data, c0, k, col);
        gemm(false, true, og, K, L, 1.f, am, lda, col, L, 1.f, dwg, K);
      }
    }
  }
  return env.Undefined();
}

// --- max pooling ------------------------------------------------------------------------------

// An Int32Array argument as a pointer and a length.
std::pair<const int32_t*, size_t> intsArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  if (i >= info.Length() || !info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    throw Napi::TypeError::New(info.Env(), std::string(fn) + "(): " + name + " must be an Int32Array");
  }
  Napi::Int32Array a = info[i].As<Napi::Int32Array>();
  return {a.Data(), a.ElementLength()};
}

// maxPoolScan(x, planes, h, w, rowStart, rowEnd, rowStep, colStart, colEnd, colStep, values, where):
// for each of `planes` planes of h * w values and each window (rows rowStart[i], + rowStep, ...
// below rowEnd[i]; columns likewise), the window's maximum scanned row by row, PyTorch's rule: a
// value wins when greater than the best so far or NaN (the first of tied maxima wins, NaN
// propagates); `where` gets the winner's index into x (the window's first position when empty).
Napi::Value MaxPoolScan(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "maxPoolScan";
  Floats x = floatsArg(info, 0, fn, "x");
  const int64_t planes = intArg(info, 1, fn, "planes");
  const int64_t h = intArg(info, 2, fn, "h");
  const int64_t w = intArg(info, 3, fn, "w");
  auto [rs, rsn] = intsArg(info, 4, fn, "rowStart");
  auto [re, ren] = intsArg(info, 5, fn, "rowEnd");
  const int64_t rowStep = intArg(info, 6, fn, "rowStep", 1);
  auto [cs, csn] = intsArg(info, 7, fn, "colStart");
  auto [ce, cen] = intsArg(info, 8, fn, "colEnd");
  const int64_t colStep = intArg(info, 9, fn, "colStep", 1);
  Floats values = floatsArg(info, 10, fn, "values");
  if (11 >= info.Length() || !info[11].IsTypedArray() || info[11].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    throw Napi::TypeError::New(env, "maxPoolScan(): where must be an Int32Array");
  }
  Napi::Int32Array whereArr = info[11].As<Napi::Int32Array>();
  int32_t* where = whereArr.Data();
  const int64_t ho = static_cast<int64_t>(rsn), wo = static_cast<int64_t>(csn);
  if (ren != rsn || cen != csn) throw Napi::RangeError::New(env, "maxPoolScan(): rowStart / rowEnd and colStart / colEnd must have equal lengths");
  needs(env, x, planes * h * w, fn, "x");
  needs(env, values, planes * ho * wo, fn, "values");
  if (static_cast<int64_t>(whereArr.ElementLength()) < planes * ho * wo) throw Napi::RangeError::New(env, "maxPoolScan(): where is smaller than planes * rows * cols");
  if (planes * h * w > 2147483647) throw Napi::RangeError::New(env, "maxPoolScan(): x has more than 2^31 - 1 values");
  for (int64_t i = 0; i < ho; i++)
    if (rs[i] < 0 || re[i] > h || rs[i] > re[i]) throw Napi::RangeError::New(env, "maxPoolScan(): a row window reaches outside [0, h)");
  for (int64_t j = 0; j < wo; j++)
    if (cs[j] < 0 || ce[j] > w || cs[j] > ce[j]) throw Napi::RangeError::New(env, "maxPoolScan(): a column window reaches outside [0, w)");
  // Columns [jlo, jhi) hold windows of one width, evenly spaced (all but those clipped by padding):
  // they are scanned together, one window position at a time across the whole output row, which
  // breaks the compare chains apart (about 5x faster than window by window). Each window still
  // sees its values in row-major order, so ties and NaN resolve as in the window-by-window scan.
  auto count = [&](int64_t j) { return (ce[j] - cs[j] + colStep - 1) / colStep; };
  int64_t kw = 0;
  for (int64_t j = 0; j < wo; j++) kw = std::max<int64_t>(kw, count(j));
  int64_t jlo = 0;
  while (jlo < wo && count(jlo) != kw) jlo++;
  int64_t jhi = jlo;
  const int64_t sw = jlo + 1 < wo ? cs[jlo + 1] - cs[jlo] : 1;
  while (jhi < wo && count(jhi) == kw && cs[jhi] == cs[jlo] + (jhi - jlo) * sw) jhi++;
  for (int64_t p = 0; p < planes; p++) {
    const int64_t base = p * h * w;
    for (int64_t i = 0; i < ho; i++) {
      float* best = values.data + (p * ho + i) * wo;
      int32_t* at = where + (p * ho + i) * wo;
      const int64_t r0 = base + rs[i] * w, r1 = base + re[i] * w;
      for (int64_t j = 0; j < wo; j++) {
        if (j == jlo && jhi > jlo) j = jhi;
        if (j >= wo) break;
        const int64_t w0 = cs[j], w1 = ce[j];
        float b = -INFINITY;
        int64_t a = r0 + w0;
        for (int64_t row = r0; row < r1; row += rowStep * w) {
          for (int64_t k = row + w0, end = row + w1; k < end; k += colStep) {
            // Branch-free (selects, not jumps): on random data the winner is unpredictable.
            const float v = x.data[k];
            const bool take = (v > b) | (v != v);
            b = take ? v : b;
            a = take ? k : a;
          }
        }
        best[j] = b;
        at[j] = static_cast<int32_t>(a);
      }
      if (jhi <= jlo) continue;
      float* __restrict bu = best + jlo;
      int32_t* __restrict au = at + jlo;
      const int64_t nu = jhi - jlo;
      for (int64_t j = 0; j < nu; j++) {
        bu[j] = -INFINITY;
        au[j] = static_cast<int32_t>(r0 + cs[jlo] + j * sw);
      }
      for (int64_t row = r0; row < r1; row += rowStep * w) {
        for (int64_t kc = 0; kc < kw; kc++) {
          const int64_t first = row + cs[jlo] + kc * colStep;
          const float* __restrict xr = x.data + first;
          for (int64_t j = 0; j < nu; j++) {
            const float v = xr[j * sw];
            const bool take = (v > bu[j]) | (v != v);
            bu[j] = take ? v : bu[j];
            au[j] = take ? static_cast<int32_t>(first + j * sw) : au[j];
          }
        }
      }
    }
  }
  return env.Undefined();
}

// --- transpose --------------------------------------------------------------------------------

// y = x with its dimensions permuted (y.shape[d] = x.shape[perm[d]]), for 4-byte elements. Size-1
// dimensions are dropped and dimensions that stay neighbours are merged first; then either whole
// runs are copied (the innermost dimension stays innermost) or 2-D tiles are transposed, so that
// both reads and writes stay within a few cache lines.
void transposeWords(const uint32_t* x, uint32_t* y, std::vector<int64_t> shape, std::vector<int64_t> perm) {
  // Drop size-1 dimensions.
  {
    std::vector<int64_t> keep(shape.size(), -1);
    std::vector<int64_t> s2;
    for (size_t d = 0; d < shape.size(); d++)
      if (shape[d] != 1) {
        keep[d] = static_cast<int64_t>(s2.size());
        s2.push_back(shape[d]);
      }
    std::vector<int64_t> p2;
    for (int64_t d : perm)
      if (keep[d] >= 0) p2.push_back(keep[d]);
    shape = s2;
    perm = p2;
  }
  // Merge input dimensions d, d + 1 that are also neighbours, in order, in the output.
  for (bool merged = true; merged && perm.size() > 1;) {
    merged = false;
    for (size_t q = 0; q + 1 < perm.size(); q++) {
      if (perm[q + 1] != perm[q] + 1) continue;
      const int64_t d = perm[q];
      shape[d] *= shape[d + 1];
      shape.erase(shape.begin() + d + 1);
      perm.erase(perm.begin() + static_cast<int64_t>(q) + 1);
      for (auto& v : perm)
        if (v > d) v--;
      merged = true;
      break;
    }
  }
  int64_t total = 1;
  for (int64_t v : shape) total *= v;
  const int64_t r = static_cast<int64_t>(shape.size());
  if (r <= 1) {
    std::memcpy(y, x, sizeof(uint32_t) * total);
    return;
  }
  std::vector<int64_t> inStride(r), outShape(r), outStride(r);
  inStride[r - 1] = 1;
  for (int64_t d = r - 2; d >= 0; d--) inStride[d] = inStride[d + 1] * shape[d + 1];
  for (int64_t q = 0; q < r; q++) outShape[q] = shape[perm[q]];
  outStride[r - 1] = 1;
  for (int64_t q = r - 2; q >= 0; q--) outStride[q] = outStride[q + 1] * outShape[q + 1];
  if (perm[r - 1] == r - 1) {
    // The innermost dimension stays innermost: copy runs of it.
    const int64_t run = shape[r - 1];
    std::vector<int64_t> idx(r - 1, 0);
    for (int64_t yo = 0; yo < total; yo += run) {
      int64_t xo = 0;
      for (int64_t q = 0; q < r - 1; q++) xo += idx[q] * inStride[perm[q]];
      std::memcpy(y + yo, x + xo, sizeof(uint32_t) * run);
      for (int64_t q = r - 2; q >= 0 && ++idx[q] == outShape[q]; q--) idx[q] = 0;
    }
    return;
  }
  // The output dimension that reads the input's innermost one.
  int64_t qb = 0;
  while (perm[qb] != r - 1) qb++;
  const int64_t na = outShape[r - 1], nb = outShape[qb];
  const int64_t sa = inStride[perm[r - 1]], sbOut = outStride[qb];
  // Every other output dimension is an outer loop.
  std::vector<int64_t> outer;
  for (int64_t q = 0; q < r - 1; q++)
    if (q != qb) outer.push_back(q);
  std::vector<int64_t> idx(outer.size(), 0);
  constexpr int64_t T = 64;
  for (;;) {
    int64_t xo = 0, yo = 0;
    for (size_t i = 0; i < outer.size(); i++) {
      xo += idx[i] * inStride[perm[outer[i]]];
      yo += idx[i] * outStride[outer[i]];
    }
    // y[yo + b * sbOut + a] = x[xo + a * sa + b]
    for (int64_t b0 = 0; b0 < nb; b0 += T) {
      const int64_t b1 = std::min(nb, b0 + T);
      for (int64_t a0 = 0; a0 < na; a0 += T) {
        const int64_t a1 = std::min(na, a0 + T);
        for (int64_t b = b0; b < b1; b++) {
          uint32_t* dst = y + yo + b * sbOut;
          const uint32_t* src = x + xo + b;
          for (int64_t a = a0; a < a1; a++) dst[a] = src[a * sa];
        }
      }
    }
    int64_t i = static_cast<int64_t>(outer.size()) - 1;
    while (i >= 0 && ++idx[i] == outShape[outer[i]]) idx[i--] = 0;
    if (i < 0) break;
  }
}

// transpose(x, y, shape, perm): x and y are Float32Arrays or Int32Arrays of the same size.
Napi::Value Transpose(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "transpose";
  auto words = [&](size_t i, const char* name) -> std::pair<uint32_t*, size_t> {
    if (i >= info.Length() || !info[i].IsTypedArray()) throw Napi::TypeError::New(env, std::string(fn) + "(): " + name + " must be a Float32Array or Int32Array");
    Napi::TypedArray a = info[i].As<Napi::TypedArray>();
    const napi_typedarray_type t = a.TypedArrayType();
    if (t != napi_float32_array && t != napi_int32_array && t != napi_uint32_array) {
      throw Napi::TypeError::New(env, std::string(fn) + "(): " + name + " must be a Float32Array or Int32Array");
    }
    return {reinterpret_cast<uint32_t*>(static_cast<uint8_t*>(a.ArrayBuffer().Data()) + a.ByteOffset()), a.ElementLength()};
  };
  auto [x, xn] = words(0, "x");
  auto [y, yn] = words(1, "y");
  if (!info[2].IsArray() || !info[3].IsArray()) throw Napi::TypeError::New(env, "transpose(): shape and perm must be arrays");
  Napi::Array sh = info[2].As<Napi::Array>(), pe = info[3].As<Napi::Array>();
  const uint32_t r = sh.Length();
  if (pe.Length() != r || r > 8) throw Napi::RangeError::New(env, "transpose(): perm must have one entry per dimension (at most 8)");
  std::vector<int64_t> shape(r), perm(r);
  std::vector<bool> seen(r, false);
  int64_t total = 1;
  for (uint32_t d = 0; d < r; d++) {
    const double s = sh.Get(d).As<Napi::Number>().DoubleValue();
    const double p = pe.Get(d).As<Napi::Number>().DoubleValue();
    if (!(s >= 0) || s != std::floor(s) || s > 2147483647.0) throw Napi::RangeError::New(env, "transpose(): shape entries must be integers >= 0");
    if (!(p >= 0) || p != std::floor(p) || p >= r || seen[static_cast<size_t>(p)]) throw Napi::RangeError::New(env, "transpose(): perm must be a permutation of 0..rank-1");
    seen[static_cast<size_t>(p)] = true;
    shape[d] = static_cast<int64_t>(s);
    perm[d] = static_cast<int64_t>(p);
    total *= shape[d];
  }
  if (static_cast<int64_t>(xn) < total || static_cast<int64_t>(yn) < total) {
    throw Napi::RangeError::New(env, "transpose(): x and y must hold " + std::to_string(total) + " elements");
  }
  if (total > 0) transposeWords(x, y, shape, perm);
  return env.Undefined();
}

// --- scatter-add ---------------------------------------------------------------------------------

// scatterAdd(out, index, src): out = zeros, then out[index[k]] += src[k] for every k in order (the
// gradient of a gather, e.g. max pooling's: each window's gradient goes to its winner). Every
// index is checked against out's length before anything is written.
Napi::Value ScatterAdd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "scatterAdd";
  Floats out = floatsArg(info, 0, fn, "out");
  auto [index, count] = intsArg(info, 1, fn, "index");
  Floats src = floatsArg(info, 2, fn, "src");
  needs(env, src, static_cast<int64_t>(count), fn, "src");
  const int64_t n = static_cast<int64_t>(out.length);
  for (size_t k = 0; k < count; k++) {
    if (index[k] < 0 || index[k] >= n) {
      throw Napi::RangeError::New(env, "scatterAdd(): index " + std::to_string(index[k]) + " at position " + std::to_string(k) + " is outside [0, " + std::to_string(n) + ")");
    }
  }
  std::memset(out.data, 0, out.length * sizeof(float));
  for (size_t k = 0; k < count; k++) out.data[index[k]] += src.data[k];
  return env.Undefined();
}

// --- optimizer steps -------------------------------------------------------------------------

// sgdStep(p, g, buf | null, lr, momentum, dampening, weightDecay, nesterov, maximize): one step of
// torch.optim.SGD on one parameter, in place on p (and on the momentum buffer buf, required when
// momentum is not 0). Each float32 operation rounds as the separate tensor ops of the reference
// update do (scale, then add; no fused multiply-add), so the result is the same bits:
//   d = maximize ? -g : g;  d += weightDecay * p;
//   buf = momentum * buf + (1 - dampening) * d;  d = nesterov ? d + momentum * buf : buf;
//   p += -lr * d
Napi::Value SgdStep(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "sgdStep";
  Floats p = floatsArg(info, 0, fn, "p");
  Floats g = floatsArg(info, 1, fn, "g");
  const bool hasBuf = hasArg(info, 2);
  Floats buf = hasBuf ? floatsArg(info, 2, fn, "buf") : Floats{nullptr, 0};
  auto num = [&](size_t i, const char* name) { return numberArg(info, i, fn, name); };
  // Scalars become float32 as the reference ops' scalar operands do; 1 - dampening is formed in
  // double first, and a factor of exactly 1 is skipped, as there.
  const float lr = static_cast<float>(num(3, "lr")), momentum = static_cast<float>(num(4, "momentum"));
  const double keepD = 1.0 - num(5, "dampening");
  const float wd = static_cast<float>(num(6, "weightDecay"));
  const bool nesterov = info.Length() > 7 && info[7].ToBoolean().Value();
  const bool maximize = info.Length() > 8 && info[8].ToBoolean().Value();
  const int64_t n = static_cast<int64_t>(p.length);
  needs(env, g, n, fn, "g");
  if (momentum != 0.f) {
    if (!hasBuf) throw Napi::TypeError::New(env, "sgdStep(): buf must be a Float32Array when momentum is not 0");
    needs(env, buf, n, fn, "buf");
  }
  const float negLr = -lr, keep = static_cast<float>(keepD);
  const bool scaleD = keepD != 1.0;
  float* __restrict pp = p.data;
  const float* __restrict gg = g.data;
  float* __restrict bb = buf.data;
  for (int64_t i = 0; i < n; i++) {
    float d = maximize ? -gg[i] : gg[i];
    if (wd != 0.f) {
      const float t = wd * pp[i];
      d = d + t;
    }
    if (momentum != 0.f) {
      const float m = bb[i] * momentum;
      const float a = scaleD ? d * keep : d;
      const float b = m + a;
      bb[i] = b;
      if (nesterov) {
        const float t = momentum * b;
        d = d + t;
      } else {
        d = b;
      }
    }
    const float step = d * negLr;
    pp[i] = pp[i] + step;
  }
  return env.Undefined();
}

// adamStep(p, g, expAvg, expAvgSq, maxExpAvgSq | null, lr, beta1, beta2, eps, weightDecay, step,
// decoupled, maximize): one step of torch.optim.Adam (AdamW when decoupled) on one parameter, in
// place on p and its state (maxExpAvgSq given: amsgrad). `step` counts this step (1 for the first).
// Each float32 operation rounds as the separate tensor ops of the reference update do:
//   d = maximize ? -g : g;  d += weightDecay * p (Adam)  or  p *= 1 - lr * weightDecay (AdamW);
//   m = beta1 * m + (1 - beta1) * d;  v = beta2 * v + (1 - beta2) * d * d;  vmax = max(vmax, v);
//   denom = sqrt(v or vmax) / sqrt(1 - beta2^step) + eps;  p += -(lr / (1 - beta1^step)) * (m / denom)
Napi::Value AdamStep(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "adamStep";
  Floats p = floatsArg(info, 0, fn, "p");
  const int64_t n = static_cast<int64_t>(p.length);
  Floats g = floatsArg(info, 1, fn, "g");
  Floats m = floatsArg(info, 2, fn, "expAvg");
  Floats v = floatsArg(info, 3, fn, "expAvgSq");
  const bool amsgrad = hasArg(info, 4);
  Floats vmax = amsgrad ? floatsArg(info, 4, fn, "maxExpAvgSq") : Floats{nullptr, 0};
  needs(env, g, n, fn, "g");
  needs(env, m, n, fn, "expAvg");
  needs(env, v, n, fn, "expAvgSq");
  if (amsgrad) needs(env, vmax, n, fn, "maxExpAvgSq");
  auto num = [&](size_t i, const char* name) { return numberArg(info, i, fn, name); };
  const double lr = num(5, "lr"), beta1 = num(6, "beta1"), beta2 = num(7, "beta2"), eps = num(8, "eps"), wd = num(9, "weightDecay"), step = num(10, "step");
  const bool decoupled = info.Length() > 11 && info[11].ToBoolean().Value();
  const bool maximize = info.Length() > 12 && info[12].ToBoolean().Value();
  // The scalar operands, formed in double and rounded once, as the reference passes them.
  const float b1 = static_cast<float>(beta1), b2 = static_cast<float>(beta2);
  const double keep1 = 1.0 - beta1, keep2 = 1.0 - beta2;
  const float k1 = static_cast<float>(keep1), k2 = static_cast<float>(keep2);
  const float decay = static_cast<float>(1.0 - lr * wd), wdf = static_cast<float>(wd);
  const float bc2 = static_cast<float>(std::sqrt(1.0 - std::pow(beta2, step)));
  const float negStep = static_cast<float>(-(lr / (1.0 - std::pow(beta1, step))));
  const float epsf = static_cast<float>(eps);
  float* __restrict pp = p.data;
  const float* __restrict gg = g.data;
  float* __restrict mm = m.data;
  float* __restrict vv = v.data;
  float* __restrict xx = vmax.data;
  for (int64_t i = 0; i < n; i++) {
    float d = maximize ? -gg[i] : gg[i];
    if (!decoupled && wd != 0.0) {
      const float t = pp[i] * wdf;
      d = d + t;
    }
    if (decoupled) pp[i] = pp[i] * decay;
    const float m1 = mm[i] * b1;
    const float m2 = keep1 == 1.0 ? d : d * k1;
    const float mi = m1 + m2;
    mm[i] = mi;
    const float v1 = vv[i] * b2;
    const float dd = d * d;
    const float v2 = keep2 == 1.0 ? dd : dd * k2;
    const float vi = v1 + v2;
    vv[i] = vi;
    float second = vi;
    if (amsgrad) {
      const float a = xx[i];
      const float hi = (a != a || vi != vi) ? (a != a ? a : vi) : (a > vi ? a : vi);
      xx[i] = hi;
      second = hi;
    }
    const float root = std::sqrt(second);
    const float scaled = root / bc2;
    const float denom = scaled + epsf;
    const float q = mi / denom;
    const float t = q * negStep;
    pp[i] = pp[i] + t;
  }
  return env.Undefined();
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  const int64_t n = intArg(info, 0, "setNumThreads", "n", 1);
  setThreads(static_cast<int>(n));
  wantedThreads = currentThreads = static_cast<int>(n);
  return info.Env().Undefined();
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  if (wantedThreads == 0) wantedThreads = currentThreads = openblas_get_num_threads();
  return Napi::Number::New(info.Env(), wantedThreads);
}

Napi::Value Config(const Napi::CallbackInfo& info) {
  const char* c = openblas_get_config();
  return Napi::String::New(info.Env(), c == nullptr ? "" : c);
}

// gemmLibrary(): "onednn" or "openblas", whichever runs the products now.
Napi::Value GemmLibrary(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), useDnnl ? "onednn" : "openblas"); }

// dnnlVersion(): oneDNN's version ("2.6.3") when the addon was built with it, else "".
Napi::Value DnnlVersion(const Napi::CallbackInfo& info) {
#ifdef FLINT_DNNL
  const dnnl_version_t* v = dnnl_version();
  return Napi::String::New(info.Env(), std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch));
#else
  return Napi::String::New(info.Env(), "");
#endif
}

// setGemmLibrary(name): "onednn" (only when built with it) or "openblas".
Napi::Value SetGemmLibrary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string name = info.Length() > 0 && info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : std::string("(not a string)");
  if (name == "openblas") {
    useDnnl = false;
  } else if (name == "onednn") {
#ifdef FLINT_DNNL
    useDnnl = true;
#else
    throw Napi::Error::New(env, "setGemmLibrary: library 'onednn' is not available: the addon was built without oneDNN (apt-get install libdnnl-dev, then rebuild)");
#endif
  } else {
    throw Napi::TypeError::New(env, "setGemmLibrary: library must be 'onednn' or 'openblas', got " + name);
  }
  return env.Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("sgemm", Napi::Function::New(env, Blocked<Sgemm>, "sgemm"));
  exports.Set("biasActivation", Napi::Function::New(env, BiasActivation, "biasActivation"));
  exports.Set("conv2d", Napi::Function::New(env, Blocked<Conv2d>, "conv2d"));
  exports.Set("conv2dBackpropInput", Napi::Function::New(env, Blocked<Conv2dBackpropInput>, "conv2dBackpropInput"));
  exports.Set("conv2dBackpropFilter", Napi::Function::New(env, Blocked<Conv2dBackpropFilter>, "conv2dBackpropFilter"));
  exports.Set("conv2dNchw", Napi::Function::New(env, Blocked<Conv2dNchw>, "conv2dNchw"));
  exports.Set("conv2dNchwBackpropInput", Napi::Function::New(env, Blocked<Conv2dNchwBackpropInput>, "conv2dNchwBackpropInput"));
  exports.Set("conv2dNchwBackpropFilter", Napi::Function::New(env, Blocked<Conv2dNchwBackpropFilter>, "conv2dNchwBackpropFilter"));
  exports.Set("maxPoolScan", Napi::Function::New(env, MaxPoolScan, "maxPoolScan"));
  exports.Set("transpose", Napi::Function::New(env, Transpose, "transpose"));
  exports.Set("sgdStep", Napi::Function::New(env, SgdStep, "sgdStep"));
  exports.Set("adamStep", Napi::Function::New(env, AdamStep, "adamStep"));
  exports.Set("scatterAdd", Napi::Function::New(env, ScatterAdd, "scatterAdd"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads, "getNumThreads"));
  exports.Set("config", Napi::Function::New(env, Config, "config"));
  exports.Set("gemmLibrary", Napi::Function::New(env, GemmLibrary, "gemmLibrary"));
  exports.Set("dnnlVersion", Napi::Function::New(env, DnnlVersion, "dnnlVersion"));
  exports.Set("setGemmLibrary", Napi::Function::New(env, SetGemmLibrary, "setGemmLibrary"));
  return exports;
}

}  // namespace

NODE_API_MODULE(flint_native, Init)
