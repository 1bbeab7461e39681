// NCHW convolutions through oneDNN's convolution primitives; see dnnl-conv.h.
#ifdef FLINT_DNNL
#include "dnnl-conv.h"

#include <oneapi/dnnl/dnnl.hpp>
#include <oneapi/dnnl/dnnl_debug.h>

#include <array>
#include <cstdlib>
#include <list>
#include <map>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>

namespace flint {
namespace {

using dnnl::memory;
using Dims = memory::dims;

// A 64-byte aligned buffer that only grows.
struct Buffer {
  void* data = nullptr;
  size_t bytes = 0;
  Buffer() = default;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer() { std::free(data); }
  void* get(size_t n) {
    if (n == 0) n = 64;
    if (n > bytes) {
      std::free(data);
      data = nullptr;
      bytes = 0;
      if (posix_memalign(&data, 64, n) != 0) throw std::bad_alloc();
      bytes = n;
    }
    return data;
  }
};

// One argument of the primitive: the caller's plain buffer and, when the primitive prefers another
// layout, a scratch buffer in that layout with the reorder between the two.
struct Operand {
  int arg = 0;
  memory user;
  memory inner;
  dnnl::reorder re;
  bool reordered = false;
};

// Everything one (geometry, kind, thread count) needs, created once.
struct Entry {
  bool ok = false;  // false: oneDNN has no optimized kernel for it
  dnnl::primitive prim;
  Operand in[2];
  Operand out;
  memory bias;
  memory scratchpad;
};

// The cache key: kind, thread count, bias or not, and the 16 numbers of the geometry.
using Key = std::array<int64_t, 19>;

// At most this many entries per thread, the least recently used dropped first (a network has a
// few dozen distinct convolutions at most).
constexpr size_t kCacheSize = 64;

struct State {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
  std::list<std::pair<Key, std::unique_ptr<Entry>>> lru;
  std::map<Key, std::list<std::pair<Key, std::unique_ptr<Entry>>>::iterator> index;
  // Scratch for the two inputs, the output and the primitive's own scratchpad, shared by every
  // entry (kernels on one thread run one at a time).
  Buffer scratch[4];
};

State& state() {
  thread_local State s;
  return s;
}

Operand operand(const dnnl::engine& eng, int arg, const memory::desc& plain, const memory::desc& wanted, bool isOutput) {
  Operand o;
  o.arg = arg;
  o.user = memory(plain, eng, DNNL_MEMORY_NONE);
  if (!(wanted == plain)) {
    o.inner = memory(wanted, eng, DNNL_MEMORY_NONE);
    o.re = isOutput ? dnnl::reorder(o.inner, o.user) : dnnl::reorder(o.user, o.inner);
    o.reordered = true;
  }
  return o;
}

// Whether a primitive descriptor found one of oneDNN's optimized kernels (not its reference
// loops, nor its own im2col + gemm, which the caller does as well).
bool optimized(const dnnl::primitive_desc_base& pd) {
  const std::string impl = pd.impl_info_str();
  return impl.rfind("ref", 0) != 0 && impl.find("gemm") == std::string::npos;
}

std::unique_ptr<Entry> create(State& st, DnnlConvKind kind, const DnnlConvShape& s, bool hasBias) {
  auto e = std::make_unique<Entry>();
  const auto& eng = st.engine;
  const Dims xd{s.n, s.ci, s.h, s.w}, yd{s.n, s.co, s.ho, s.wo};
  const Dims wd = s.groups == 1 ? Dims{s.co, s.ci, s.kh, s.kw} : Dims{s.groups, s.co / s.groups, s.ci / s.groups, s.kh, s.kw};
  const memory::desc xPlain(xd, memory::data_type::f32, memory::format_tag::nchw);
  const memory::desc yPlain(yd, memory::data_type::f32, memory::format_tag::nchw);
  const memory::desc wPlain(wd, memory::data_type::f32, s.groups == 1 ? memory::format_tag::oihw : memory::format_tag::goihw);
  const memory::desc bPlain({s.co}, memory::data_type::f32, memory::format_tag::x);
  const memory::desc xAny(xd, memory::data_type::f32, memory::format_tag::any);
  const memory::desc yAny(yd, memory::data_type::f32, memory::format_tag::any);
  const memory::desc wAny(wd, memory::data_type::f32, memory::format_tag::any);
  // oneDNN counts dilation from 0; the right and bottom padding are whatever makes the output size.
  const Dims strides{s.sh, s.sw}, dilation{s.dh - 1, s.dw - 1}, padL{s.pt, s.pl};
  const Dims padR{(s.ho - 1) * s.sh + (s.kh - 1) * s.dh + 1 - s.h - s.pt, (s.wo - 1) * s.sw + (s.kw - 1) * s.dw + 1 - s.w - s.pl};
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  using dnnl::algorithm;
  using dnnl::prop_kind;
  try {
    if (kind == DnnlConvKind::kForward) {
      // forward_training (what PyTorch asks for) selects oneDNN 2.6's jit:avx512_core kernels;
      // forward_inference its brgconv ones, measured slower here (LeNet's conv1 0.45 ms against
      // 0.31, a strided 1x1 1.2 against 0.6, resnet18's 3x3 ones about the same).
      const auto d = hasBias ? dnnl::convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, xAny, wAny, bPlain, yAny, strides, dilation, padL, padR)
                             : dnnl::convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, xAny, wAny, yAny, strides, dilation, padL, padR);
      const dnnl::convolution_forward::primitive_desc pd(d, attr, eng);
      if (!optimized(pd)) return e;
      e->prim = dnnl::convolution_forward(pd);
      e->in[0] = operand(eng, DNNL_ARG_SRC, xPlain, pd.src_desc(), false);
      e->in[1] = operand(eng, DNNL_ARG_WEIGHTS, wPlain, pd.weights_desc(), false);
      e->out = operand(eng, DNNL_ARG_DST, yPlain, pd.dst_desc(), true);
      if (hasBias) e->bias = memory(pd.bias_desc(), eng, DNNL_MEMORY_NONE);
      e->scratchpad = memory(pd.scratchpad_desc(), eng, DNNL_MEMORY_NONE);
    } else {
      // The backward primitives take a forward one as a hint.
      const dnnl::convolution_forward::desc fd(prop_kind::forward_training, algorithm::convolution_direct, xAny, wAny, yAny, strides, dilation, padL, padR);
      const dnnl::convolution_forward::primitive_desc hint(fd, eng);
      if (kind == DnnlConvKind::kBackwardData) {
        const dnnl::convolution_backward_data::desc d(algorithm::convolution_direct, xAny, wAny, yAny, strides, dilation, padL, padR);
        const dnnl::convolution_backward_data::primitive_desc pd(d, attr, eng, hint);
        if (!optimized(pd)) return e;
        e->prim = dnnl::convolution_backward_data(pd);
        e->in[0] = operand(eng, DNNL_ARG_DIFF_DST, yPlain, pd.diff_dst_desc(), false);
        e->in[1] = operand(eng, DNNL_ARG_WEIGHTS, wPlain, pd.weights_desc(), false);
        e->out = operand(eng, DNNL_ARG_DIFF_SRC, xPlain, pd.diff_src_desc(), true);
        e->scratchpad = memory(pd.scratchpad_desc(), eng, DNNL_MEMORY_NONE);
      } else {
        const dnnl::convolution_backward_weights::desc d(algorithm::convolution_direct, xAny, wAny, yAny, strides, dilation, padL, padR);
        const dnnl::convolution_backward_weights::primitive_desc pd(d, attr, eng, hint);
        if (!optimized(pd)) return e;
        e->prim = dnnl::convolution_backward_weights(pd);
        e->in[0] = operand(eng, DNNL_ARG_SRC, xPlain, pd.src_desc(), false);
        e->in[1] = operand(eng, DNNL_ARG_DIFF_DST, yPlain, pd.diff_dst_desc(), false);
        e->out = operand(eng, DNNL_ARG_DIFF_WEIGHTS, wPlain, pd.diff_weights_desc(), true);
        e->scratchpad = memory(pd.scratchpad_desc(), eng, DNNL_MEMORY_NONE);
      }
    }
  } catch (const dnnl::error&) {
    // Geometries oneDNN does not implement (or refuses, such as some negative padding): the caller
    // runs its own kernel. The entry stays cached as refused.
    return std::make_unique<Entry>();
  }
  e->ok = true;
  return e;
}

Entry& lookup(State& st, const Key& key, DnnlConvKind kind, const DnnlConvShape& s, bool hasBias) {
  auto it = st.index.find(key);
  if (it != st.index.end()) {
    st.lru.splice(st.lru.begin(), st.lru, it->second);
    return *it->second->second;
  }
  std::unique_ptr<Entry> e = create(st, kind, s, hasBias);
  st.lru.emplace_front(key, std::move(e));
  st.index[key] = st.lru.begin();
  if (st.lru.size() > kCacheSize) {
    st.index.erase(st.lru.back().first);
    st.lru.pop_back();
  }
  return *st.lru.front().second;
}

void check(dnnl_status_t status, const char* what) {
  if (status != dnnl_success) throw std::runtime_error(std::string("oneDNN failed to run its ") + what + " (" + dnnl_status2str(status) + ")");
}

// Runs a primitive on up to five arguments (the C API: no allocation per call).
void execute(State& st, const dnnl::primitive& p, const dnnl_exec_arg_t* args, int count, const char* what) {
  check(dnnl_primitive_execute(p.get(), st.stream.get(), count, args), what);
}

}  // namespace

bool dnnlConv(DnnlConvKind kind, const DnnlConvShape& s, int threads, const float* a, const float* b, const float* bias, float* out) try {
  State& st = state();
  const bool hasBias = kind == DnnlConvKind::kForward && bias != nullptr;
  const Key key{static_cast<int64_t>(kind), threads, hasBias ? 1 : 0, s.n, s.h, s.w, s.ci, s.ho, s.wo, s.co, s.kh, s.kw, s.sh, s.sw, s.pt, s.pl, s.dh, s.dw, s.groups};
  Entry& e = lookup(st, key, kind, s, hasBias);
  if (!e.ok) return false;
  const float* inputs[2] = {a, b};
  dnnl_exec_arg_t args[5];
  int count = 0;
  for (int i = 0; i < 2; i++) {
    Operand& o = e.in[i];
    o.user.set_data_handle(const_cast<float*>(inputs[i]));
    if (o.reordered) {
      o.inner.set_data_handle(st.scratch[i].get(o.inner.get_desc().get_size()));
      const dnnl_exec_arg_t r[2] = {{DNNL_ARG_FROM, o.user.get()}, {DNNL_ARG_TO, o.inner.get()}};
      execute(st, o.re, r, 2, "reorder");
    }
    args[count++] = {o.arg, o.reordered ? o.inner.get() : o.user.get()};
  }
  e.out.user.set_data_handle(out);
  if (e.out.reordered) e.out.inner.set_data_handle(st.scratch[2].get(e.out.inner.get_desc().get_size()));
  args[count++] = {e.out.arg, e.out.reordered ? e.out.inner.get() : e.out.user.get()};
  e.scratchpad.set_data_handle(st.scratch[3].get(e.scratchpad.get_desc().get_size()));
  args[count++] = {DNNL_ARG_SCRATCHPAD, e.scratchpad.get()};
  if (hasBias) {
    e.bias.set_data_handle(const_cast<float*>(bias));
    args[count++] = {DNNL_ARG_BIAS, e.bias.get()};
  }
  execute(st, e.prim, args, count, "convolution");
  if (e.out.reordered) {
    const dnnl_exec_arg_t r[2] = {{DNNL_ARG_FROM, e.out.inner.get()}, {DNNL_ARG_TO, e.out.user.get()}};
    execute(st, e.out.re, r, 2, "reorder");
  }
  check(dnnl_stream_wait(st.stream.get()), "stream");
  return true;
} catch (const dnnl::error& e) {
  throw std::runtime_error(std::string("oneDNN failed: ") + e.what() + " (" + dnnl_status2str(e.status) + ")");
}

}  // namespace flint
#endif
