// Compile the AssemblyScript kernels (src/kernels/assembly) into two WebAssembly modules and
// check that each is safe to instantiate many times on one shared memory that JS (or tfjs) owns:
//   src/kernels/build/kernels_relaxed.wasm  --enable simd,threads,relaxed-simd  (FMA)
//   src/kernels/build/kernels_simd.wasm     --enable simd,threads               (mul + add)
// Both come from the same sources; ASC_FEATURE_RELAXED_SIMD picks the multiply-add at compile
// time. Run by `npm install` (prepare) and `npm run build:kernels`; exits non-zero on any problem.

import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import asc from 'assemblyscript/asc';

// Node 20 (V8 11.3) validates relaxed SIMD only behind this flag; newer Node has it on by default.
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'src/kernels/assembly');
const outDir = join(root, 'src/kernels/build');
const MAX_PAGES = 65536;

const common = ['--importMemory', '--sharedMemory', '--maximumMemory', String(MAX_PAGES), '--runtime', 'stub', '-O3', '--noAssert'];

const targets = [
  { entry: 'relaxed.ts', out: 'kernels_relaxed.wasm', features: 'simd,threads,relaxed-simd', isa: 1 },
  { entry: 'simd.ts', out: 'kernels_simd.wasm', features: 'simd,threads', isa: 0 },
];

// Names the TypeScript side and the thread runtime rely on; a build without them is broken.
const requiredExports = [
  'f32_gemm__wasmsimd',
  'f32_gemm_tiles__wasmsimd',
  'f32_gemm_scratch_size',
  'f32_gemm_mr',
  'f32_gemm_nr',
  'kernels_isa',
  'f32_conv2d_igemm__wasmsimd',
  'f32_conv2d_igemm_scratch_size',
  'f32_conv2d_pack_filter_nr8__wasmsimd',
  'f32_conv2d_igemm_phase__wasmsimd',
  'f32_conv2d_igemm_phase_scratch_size',
  'f32_conv2d_pack_filter_phase_nr8__wasmsimd',
  'f32_conv2d_backprop_filter_gemm__wasmsimd',
  'f32_conv2d_backprop_filter_reduce__wasmsimd',
  'f32_conv2d_backprop_filter_partial_size',
  'f32_conv2d_backprop_filter_scratch_size',
  'f32_maxpool2d_nhwc__wasmsimd',
  'f32_maxpool2d_grad_nhwc__wasmsimd',
  'f32_avgpool2d_nhwc__wasmsimd',
  'f32_avgpool2d_grad_nhwc__wasmsimd',
  'f32_batchnorm_nhwc__wasmsimd',
  'f32_conv2d_c1_direct__wasmsimd',
  'f32_conv2d_c1_scratch_size',
  'f32_conv2d_n1_direct__wasmsimd',
  'f32_conv2d_n1_scratch_size',
  'f32_conv2d_backprop_filter_c1__wasmsimd',
  'f32_conv2d_backprop_filter_c1_scratch_size',
  'f32_conv2d_winograd_2x2_3x3__wasmsimd',
  'f32_conv2d_winograd_filter_2x2_3x3__wasmsimd',
  'f32_conv2d_winograd_4x4_3x3__wasmsimd',
  'f32_conv2d_winograd_filter_4x4_3x3__wasmsimd',
  'f32_conv2d_winograd_filter_size',
  'f32_conv2d_winograd_scratch_size',
  'f32_conv2d_backprop_filter_winograd_3x3_2x2__wasmsimd',
  'f32_conv2d_backprop_filter_winograd_reduce_3x3_2x2__wasmsimd',
  'f32_conv2d_backprop_filter_winograd_3x3_4x4__wasmsimd',
  'f32_conv2d_backprop_filter_winograd_reduce_3x3_4x4__wasmsimd',
  'f32_conv2d_backprop_filter_winograd_partial_size',
  'f32_conv2d_backprop_filter_winograd_scratch_size',
  'f32_rmsprop__wasmsimd',
  'f32_adam__wasmsimd',
  'f32_momentum__wasmsimd',
  'f32_dropout_hash__wasmsimd',
  'f32_sum_rows_blocks__wasmsimd',
  'f32_sum_partials__wasmsimd',
  'f32_mul__wasmsimd',
  'f32_mul_scalar__wasmsimd',
  'f32_mul_channels__wasmsimd',
  'f32_relu__wasmsimd',
  'f32_relu_grad__wasmsimd',
  'f32_step__wasmsimd',
  'x32_tile__wasmsimd',
  'f32_add__wasmsimd',
  'f32_add_scalar__wasmsimd',
  'f32_add_channels__wasmsimd',
  'f32_sub__wasmsimd',
  'f32_sub_scalar__wasmsimd',
  'f32_rsub_scalar__wasmsimd',
  'f32_sub_channels__wasmsimd',
  'f32_rsub_channels__wasmsimd',
  'f32_div__wasmsimd',
  'f32_div_scalar__wasmsimd',
  'f32_rdiv_scalar__wasmsimd',
  'f32_div_channels__wasmsimd',
  'f32_rdiv_channels__wasmsimd',
  'f32_square__wasmsimd',
  'f32_sqrt__wasmsimd',
  'f32_tanh__wasmsimd',
  'f32_sigmoid__wasmsimd',
  'f32_elu__wasmsimd',
  'f32_elu_grad__wasmsimd',
  'f32_unit_scale_u8__wasmsimd',
  'f32_relu_grad_sum_rows_blocks__wasmsimd',
];

function fail(message) {
  console.error(`build_kernels: ${message}`);
  process.exit(1);
}

function readLeb(bytes, pos) {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[pos++];
    if (byte === undefined) throw new Error('truncated LEB128');
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [result, pos];
  }
}

function readName(bytes, pos) {
  const [len, p] = readLeb(bytes, pos);
  return [new TextDecoder().decode(bytes.subarray(p, p + len)), p + len];
}

// Walk the binary's sections: instantiation must not write memory (no data segments, no start
// function), and the only import must be a shared env.memory with the agreed maximum.
function checkBinary(name, bytes) {
  const problems = [];
  let pos = 8;
  const imports = [];
  while (pos < bytes.length) {
    const id = bytes[pos];
    const [size, body] = readLeb(bytes, pos + 1);
    const end = body + size;
    if (id === 5) problems.push('defines its own memory (memory section)');
    if (id === 8) problems.push('has a start function');
    if (id === 11) {
      const [count] = readLeb(bytes, body);
      if (count > 0) problems.push(`has ${count} data segment(s)`);
    }
    if (id === 12) {
      const [count] = readLeb(bytes, body);
      if (count > 0) problems.push(`declares ${count} data segment(s) (data count)`);
    }
    if (id === 2) {
      let p = body;
      let count;
      [count, p] = readLeb(bytes, p);
      for (let i = 0; i < count; i++) {
        let module, field;
        [module, p] = readName(bytes, p);
        [field, p] = readName(bytes, p);
        const kind = bytes[p++];
        const entry = { module, field, kind };
        if (kind === 2) {
          const flags = bytes[p++];
          let min, max;
          [min, p] = readLeb(bytes, p);
          if (flags & 1) [max, p] = readLeb(bytes, p);
          Object.assign(entry, { shared: (flags & 2) !== 0, min, max });
        } else {
          // Any other import (e.g. env.abort from an assert or an allocation) means the kernels
          // no longer stand alone on a memory they do not own.
          problems.push(`imports ${module}.${field} (kind ${kind}); only env.memory is allowed`);
          if (kind === 0)
            [, p] = readLeb(bytes, p); // function: type index
          else if (kind === 1) {
            // table: reftype, limits
            const flags = bytes[p + 1];
            p += 2;
            [, p] = readLeb(bytes, p);
            if (flags & 1) [, p] = readLeb(bytes, p);
          } else if (kind === 3)
            p += 2; // global: valtype, mutability
          else if (kind === 4)
            [, p] = readLeb(bytes, p + 1); // tag: attribute, type index
          else break;
        }
        imports.push(entry);
      }
    }
    pos = end;
  }
  const mem = imports.find((i) => i.kind === 2);
  if (mem?.module !== 'env' || mem.field !== 'memory') problems.push('does not import env.memory');
  else {
    if (!mem.shared) problems.push('imports a memory that is not shared');
    if (mem.max !== MAX_PAGES) problems.push(`memory maximum is ${mem.max}, expected ${MAX_PAGES}`);
  }
  if (problems.length > 0) fail(`${name}: ${problems.join('; ')}`);
}

// Instantiate on a shared memory filled with a pattern and check the pattern survives: the
// strongest form of "instantiation never writes memory".
async function checkInstance(name, bytes, isa) {
  const memory = new WebAssembly.Memory({ initial: 2, maximum: MAX_PAGES, shared: true });
  const view = new Uint8Array(memory.buffer);
  for (let i = 0; i < view.length; i++) view[i] = (i * 131 + 7) & 0xff;
  const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
  for (let i = 0; i < view.length; i++) {
    if (view[i] !== ((i * 131 + 7) & 0xff)) fail(`${name}: instantiation wrote memory at byte ${i}`);
  }
  const missing = requiredExports.filter((e) => typeof instance.exports[e] !== 'function');
  if (missing.length > 0) fail(`${name}: missing exports ${missing.join(', ')}`);
  const got = instance.exports.kernels_isa();
  if (got !== isa) fail(`${name}: kernels_isa() = ${got}, expected ${isa}`);
}

await mkdir(outDir, { recursive: true });
const started = performance.now();
for (const t of targets) {
  const outFile = join(outDir, t.out);
  const args = [join(srcDir, t.entry), '--outFile', outFile, '--enable', t.features, ...common];
  const { error } = await asc.main(args, { stdout: process.stdout, stderr: process.stderr });
  // asc has already printed its diagnostics to stderr.
  if (error) fail(`asc failed for ${t.entry}: ${error.message}`);
  const bytes = new Uint8Array(await readFile(outFile));
  if (!WebAssembly.validate(bytes)) fail(`${t.out} does not validate`);
  checkBinary(t.out, bytes);
  await checkInstance(t.out, bytes, t.isa);
  console.log(`kernels: ${t.out} ${bytes.length} bytes (${t.features})`);
}
console.log(`kernels: built and checked in ${((performance.now() - started) / 1000).toFixed(1)} s`);
