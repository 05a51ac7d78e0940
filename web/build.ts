// Builds the page into dist/web with esbuild: the page script, the trainer worker and the kernel worker
// (and `npm run bench`'s bench worker, with its empty page),
// each one ES module, beside the page's HTML and CSS and the WebAssembly binaries they fetch (ours and
// tfjs-backend-wasm's), so that everything is served from one origin.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { FONT_PACKAGES } from '../src/data/synthetic/fonts.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Where the built page goes. */
export const WEB_OUT_DIR = join(root, 'dist', 'web');

/** Resolves src/platform/index.js, which is Node's platform, to the browser's: no Node module is reached. */
const browserPlatform: Plugin = {
  name: 'browser-platform',
  setup(builder) {
    builder.onResolve({ filter: /\/platform\/index\.js$/ }, (args) => ({ path: join(args.resolveDir, args.path.replace(/index\.js$/, 'browser.ts')) }));
  },
};

/** Builds the page into `outDir` (default dist/web), replacing what was there. */
export async function buildWeb(outDir = WEB_OUT_DIR): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: { page: 'web/page.ts', trainer: 'web/trainer_worker.ts', kernel_worker: 'web/kernel_worker.ts', bench: 'web/bench_worker.ts' },
    absWorkingDir: root,
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Relaxed SIMD validates from Chrome 114; older engines run the plain SIMD build.
    target: 'es2022',
    minify: true,
    // Shared code and h5wasm (loaded only when a .h5 file is made) go into chunks of their own.
    splitting: true,
    sourcemap: true,
    logLevel: 'warning',
    plugins: [browserPlatform],
  });
  const require = createRequire(import.meta.url);
  const tfjsWasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.js'));
  const files: [string, string][] = [
    [join(root, 'web', 'index.html'), 'index.html'],
    [join(root, 'web', 'page.css'), 'page.css'],
    [join(root, 'web', 'bench.html'), 'bench.html'],
    [join(root, 'src', 'kernels', 'build', 'kernels_relaxed.wasm'), 'kernels_relaxed.wasm'],
    [join(root, 'src', 'kernels', 'build', 'kernels_simd.wasm'), 'kernels_simd.wasm'],
    [join(tfjsWasmDir, 'tfjs-backend-wasm-simd.wasm'), 'tfjs-backend-wasm-simd.wasm'],
  ];
  await mkdir(join(outDir, 'fonts'));
  for (const name of FONT_PACKAGES) {
    const file = `${name}-latin-400-normal.woff`;
    files.push([require.resolve(`@fontsource/${name}/files/${file}`), join('fonts', file)]);
  }
  for (const [from, to] of files) await copyFile(from, join(outDir, to));
}
