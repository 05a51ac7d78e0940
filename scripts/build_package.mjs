// The package's JavaScript: compiles src/ and workers/ to dist/ (tsconfig.build.json) and puts the kernel
// modules built by build_kernels.mjs beside the compiled loader, where it looks for them. Run by `npm install`
// (prepare, after the kernels) and by `npm pack`; exits non-zero on any problem.
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = performance.now();
// A stale file from a module since renamed or removed would otherwise ship.
await rm(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
const from = join(root, 'src/kernels/build');
const to = join(root, 'dist/src/kernels/build');
await mkdir(to, { recursive: true });
const modules = (await readdir(from)).filter((name) => /^kernels_[a-z]+\.wasm$/.test(name));
if (modules.length === 0) throw new Error(`no kernel modules in ${from}: run \`npm run build:kernels\` first`);
for (const name of modules) await copyFile(join(from, name), join(to, name));
console.log(`package: dist/ built with ${modules.join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
