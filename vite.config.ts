// Vite config: React app + ES-module workers, cross-origin isolation (threaded WASM), ORT wasm served from public/ort.
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// COOP/COEP make the page crossOriginIsolated, which SharedArrayBuffer (multi-threaded ORT WASM) requires.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  resolve: {
    // Makes onnxruntime-web load its .wasm/.mjs from wasmPaths instead of bundling them.
    conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions],
  },
  // protobufjs is reached only from the worker, which Vite's dependency scan misses (a reload on first visit).
  optimizeDeps: { exclude: ['onnxruntime-web'], include: ['protobufjs/light.js'] },
  build: { target: 'es2022' },
  server: { host: '127.0.0.1', port: 5173, strictPort: true, headers: isolationHeaders },
  preview: { host: '127.0.0.1', port: 5173, strictPort: true, headers: isolationHeaders },
});
