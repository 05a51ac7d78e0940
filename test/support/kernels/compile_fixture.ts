import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import asc from 'assemblyscript/asc';

const SOURCE = new URL('./test_kernels.as', import.meta.url);

/** The asc flags kernels that run on tfjs's heap are built with (as scripts/build_kernels.mjs does). */
export const SHARED_HEAP_FLAGS = ['--importMemory', '--sharedMemory', '--maximumMemory', '65536', '--runtime', 'stub', '--noAssert'];

let cached: Promise<Uint8Array> | undefined;

/**
 * Compiles the runtime's AssemblyScript test kernels into a temp directory (once per process, and reused
 * across processes while the source is unchanged) and returns the module's bytes.
 */
export function compileTestKernels(): Promise<Uint8Array> {
  cached ??= (async () => {
    const source = readFileSync(SOURCE, 'utf8');
    const hash = createHash('sha256').update(source).update(SHARED_HEAP_FLAGS.join(' ')).digest('hex').slice(0, 16);
    const dir = join(tmpdir(), `alnum-runtime-fixture-${hash}`);
    const out = join(dir, 'test_kernels.wasm');
    if (!existsSync(out)) {
      mkdirSync(dir, { recursive: true });
      // asc only reads .ts entry files.
      writeFileSync(join(dir, 'test_kernels.ts'), source);
      const tmpOut = `${out}.${process.pid}`;
      const args = [join(dir, 'test_kernels.ts'), '-O3', '--enable', 'simd,threads', ...SHARED_HEAP_FLAGS, '-o', tmpOut];
      const { error, stderr } = await asc.main(args);
      if (error) throw new Error(`asc failed: ${error.message}\n${stderr.toString()}`);
      // Rename is atomic, so concurrent test processes never read a half-written module.
      renameSync(tmpOut, out);
    }
    return new Uint8Array(readFileSync(out));
  })();
  return cached;
}
