#!/usr/bin/env node
// Builds @flint/native's addon (build/flint_native.node) when OpenBLAS is installed; otherwise
// prints one line saying how to enable it. Never fails the install: without the addon, Flint runs
// on its WebAssembly kernels.
//
//   node scripts/install.mjs            build if possible (what `pnpm install` runs)
//   node scripts/install.mjs --verbose  also print the compiler's output on failure
//
// When oneDNN is installed too (Debian: libdnnl-dev, the library PyTorch's CPU build uses), the
// addon also links it and runs its matrix products through oneDNN's sgemm, which picks its kernels
// for the CPU it runs on; OpenBLAS stays the fallback.
//
// Environment: CXX (compiler, default g++), FLINT_OPENBLAS_INCLUDE / FLINT_OPENBLAS_LIB (extra
// header / library folders), FLINT_NATIVE_BUILD=0 (skip the build), FLINT_NATIVE_ONEDNN=0 (build
// without oneDNN even when it is installed).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const verbose = process.argv.includes('--verbose');
const out = join(root, 'build', 'flint_native.node');
const ENABLE = 'To enable it: apt-get install libopenblas-dev (or your system\'s OpenBLAS package), then run pnpm install again (or pnpm --filter @flint/native run install).';

function skip(reason) {
  console.log(`@flint/native: not built (${reason}); Flint uses its WebAssembly kernels. ${ENABLE}`);
  process.exit(0);
}

function run(cmd, args) {
  try {
    execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    return null;
  } catch (e) {
    return `${e.stderr?.toString() ?? ''}${e.stdout?.toString() ?? ''}`.trim() || e.message;
  }
}

if (process.env.FLINT_NATIVE_BUILD === '0') skip('FLINT_NATIVE_BUILD=0');
if (process.platform === 'win32') skip('Windows builds are not supported yet');

const cxx = process.env.CXX || 'g++';
if (run(cxx, ['--version']) !== null) skip(`no C++ compiler (${cxx}) found`);

// Node's own headers ship beside the executable (<prefix>/include/node).
const nodeInclude = [join(dirname(dirname(process.execPath)), 'include', 'node'), '/usr/include/node', '/usr/local/include/node'].find((d) =>
  existsSync(join(d, 'node_api.h')),
);
if (nodeInclude === undefined) skip(`Node's headers (node_api.h) were not found next to ${process.execPath}`);

let addonInclude;
try {
  addonInclude = createRequire(join(root, 'package.json'))('node-addon-api').include_dir;
  if (!addonInclude.startsWith('/')) addonInclude = join(process.cwd(), addonInclude);
} catch {
  skip('node-addon-api is not installed');
}

const blasIncludes = [process.env.FLINT_OPENBLAS_INCLUDE, '/usr/include/openblas', '/usr/local/opt/openblas/include', '/opt/homebrew/opt/openblas/include']
  .filter((d) => d && existsSync(d))
  .map((d) => `-I${d}`);
const blasLibs = [process.env.FLINT_OPENBLAS_LIB, '/usr/local/opt/openblas/lib', '/opt/homebrew/opt/openblas/lib']
  .filter((d) => d && existsSync(d))
  .flatMap((d) => [`-L${d}`, `-Wl,-rpath,${d}`]);

// OpenBLAS present? A tiny program that calls it must compile and link.
const probeDir = mkdtempSync(join(tmpdir(), 'flint-native-'));
try {
  const probe = join(probeDir, 'probe.cc');
  writeFileSync(probe, '#include <cblas.h>\nint main() { openblas_set_num_threads(1); return openblas_get_num_threads() > 0 ? 0 : 1; }\n');
  const err = run(cxx, [probe, '-o', join(probeDir, 'probe'), ...blasIncludes, ...blasLibs, '-lopenblas']);
  if (err !== null) {
    if (verbose) console.log(err);
    skip('OpenBLAS headers or library not found');
  }
} finally {
  rmSync(probeDir, { recursive: true, force: true });
}

// oneDNN present? Optional: its sgemm replaces OpenBLAS's for the products.
let dnnl = [];
if (process.env.FLINT_NATIVE_ONEDNN !== '0') {
  const dir = mkdtempSync(join(tmpdir(), 'flint-native-'));
  try {
    const probe = join(dir, 'probe.cc');
    writeFileSync(probe, '#include <oneapi/dnnl/dnnl.h>\n#include <omp.h>\nint main() { float a = 1, c = 0; omp_set_num_threads(1); return dnnl_sgemm(\'N\', \'N\', 1, 1, 1, 1.f, &a, 1, &a, 1, 0.f, &c, 1) == dnnl_success && c == 1 ? 0 : 1; }\n');
    const flags = ['-DFLINT_DNNL', '-fopenmp', '-ldnnl'];
    const err = run(cxx, [probe, '-o', join(dir, 'probe'), ...flags]) ?? run(join(dir, 'probe'), []);
    if (err === null) dnnl = flags;
    else if (verbose) console.log(`oneDNN probe: ${err}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

mkdirSync(dirname(out), { recursive: true });
// addon.cc, plus the oneDNN convolutions when oneDNN is linked.
const sources = ['addon.cc', ...(dnnl.length > 0 ? ['dnnl-conv.cc'] : [])].map((f) => join(root, 'src', f));
const args = [
  ...sources,
  '-o', out,
  '-O3', '-ffp-contract=off', '-std=c++17', '-fPIC', '-shared', '-fvisibility=hidden', '-fexceptions',
  '-DNAPI_VERSION=8', '-DNAPI_CPP_EXCEPTIONS', '-DNODE_ADDON_API_DISABLE_DEPRECATED',
  `-I${nodeInclude}`, `-I${addonInclude}`, ...blasIncludes,
  ...(process.platform === 'darwin' ? ['-undefined', 'dynamic_lookup'] : []),
  ...blasLibs, '-lopenblas', ...dnnl,
];
const err = run(cxx, args);
if (err !== null) {
  if (verbose) console.log(err);
  else console.log(err.split('\n').slice(0, 5).join('\n'));
  skip(`compiling src/addon.cc failed (run node scripts/install.mjs --verbose in packages/native for details)`);
}
console.log(`@flint/native: built ${out} (${dnnl.length > 0 ? 'OpenBLAS + oneDNN sgemm and convolutions' : 'OpenBLAS; apt-get install libdnnl-dev and rebuild for oneDNN\'s faster sgemm'})`);
