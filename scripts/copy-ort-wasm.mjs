// Copies the onnxruntime-web WASM runtimes into public/ort/ so Vite serves them as static files (ort.env.wasm.wasmPaths).
import { copyFileSync, mkdirSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'node_modules', 'onnxruntime-web', 'dist');
const destDir = join(root, 'public', 'ort');
// '' is the plain build the web-wasm backend loads; jsep/asyncify are the WebGPU builds.
const files = ['', '.asyncify', '.jsep'].flatMap((variant) =>
  ['mjs', 'wasm'].map((ext) => `ort-wasm-simd-threaded${variant}.${ext}`),
);

function statOrNull(path) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

mkdirSync(destDir, { recursive: true });
let copied = 0;
for (const name of files) {
  const from = join(srcDir, name);
  const to = join(destDir, name);
  const src = statOrNull(from);
  if (!src) {
    console.error(`copy-ort-wasm: missing ${from} (run npm ci)`);
    process.exit(1);
  }
  const dest = statOrNull(to);
  if (dest && dest.size === src.size && Math.abs(dest.mtimeMs - src.mtimeMs) < 1) continue;
  copyFileSync(from, to);
  utimesSync(to, src.atimeMs / 1000, src.mtimeMs / 1000); // keep mtime so the next run can skip it
  copied++;
}
console.log(`copy-ort-wasm: ${copied} copied, ${files.length - copied} up to date in public/ort/`);
