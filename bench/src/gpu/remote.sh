#!/usr/bin/env bash
# Runs on a GPU machine that has no Node: unpacks a carried Node binary and node_modules
# (bench/out/gpu-carry/{node.xz,nm.tar.xz}, made with xz from this checkout), then runs what is asked:
#   bash bench/src/gpu/remote.sh probe | conformance | bench
set -u
cd "$(dirname "$0")/../../.."
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT" /tmp/flint-node
if [ ! -x /tmp/flint-node/node ]; then
  python3 -c "import lzma,shutil;shutil.copyfileobj(lzma.open('bench/out/gpu-carry/node.xz'),open('/tmp/flint-node/node','wb'))"
  chmod +x /tmp/flint-node/node
fi
export PATH=/tmp/flint-node:$PATH
# Dawn loads the Vulkan loader (libvulkan.so.1, Debian/Ubuntu package libvulkan1); CUDA images
# often ship the NVIDIA ICD without it. A carried copy is used when the system has none.
if ! ldconfig -p | grep -q 'libvulkan.so.1 ' && [ -f bench/out/gpu-carry/lib/libvulkan.so.1 ]; then
  export LD_LIBRARY_PATH=$PWD/bench/out/gpu-carry/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  echo "using the carried Vulkan loader (the system has no libvulkan.so.1)"
fi
if [ ! -d node_modules/.pnpm ]; then
  python3 -c "import tarfile;tarfile.open('bench/out/gpu-carry/nm.tar.xz').extractall('.')"
fi
case "${1:-probe}" in
  probe)
    nvidia-smi; which node python3; node --version
    python3 -c 'import torch;print(torch.__version__, torch.cuda.is_available())'
    ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d
    node --conditions=source --import tsx --input-type=module -e "
      const f = await import('./packages/core/src/index.ts');
      console.log('gpu available:', f.gpu.isAvailable(), '|', f.gpu.deviceName());
      if (f.gpu.isAvailable()) { const a = f.randn([512, 512]); const b = a.to('gpu'); console.log('matmul agrees:', b.matmul(b).cpu().sub(a.matmul(a)).abs().max().item()); }"
    ;;
  conformance)
    cd packages/core && FLINT_WEBGPU_SOFTWARE=0 node ../../node_modules/vitest/vitest.mjs run --config test/gpu/vitest.config.ts --reporter=dot
    ;;
  bench)
    node --conditions=source --import tsx bench/src/gpu/run.ts --rounds "${ROUNDS:-7}"
    ;;
  all)
    bash "$0" probe && bash "$0" bench && bash "$0" conformance
    ;;
esac
