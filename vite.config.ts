// Vite config: React app + ES-module workers, cross-origin isolation (threaded WASM), ORT wasm served
// from public/ort, and the Content-Security-Policy (meta tag in index.html, header on preview and dev).
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

/**
 * The page's Content-Security-Policy, directive by directive (why each: docs/playground.md#security).
 * index.html carries the same policy as a meta tag; the build fails if the two drift apart.
 */
export const CSP: Readonly<Record<string, string>> = {
  'default-src': "'self'",
  'script-src': "'self' 'wasm-unsafe-eval'", // onnxruntime-web compiles its .wasm; no eval, no inline script
  'worker-src': "'self'", // run, engine and ORT thread workers are same-origin module scripts
  'connect-src': "'self'", // /ort/*.wasm|.mjs, /models/*: nothing leaves the origin
  'style-src': "'self'", // one stylesheet; React/recharts set inline styles through CSSOM, which CSP allows
  'img-src': "'self' data: blob:", // the data: favicon; chart PNG export draws an SVG blob: URL
  'font-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'self'",
  'form-action': "'none'",
};

/** Only as a header: a meta tag cannot carry frame-ancestors (browsers ignore it there with an error). */
const HEADER_ONLY: Readonly<Record<string, string>> = { 'frame-ancestors': "'none'" };

/**
 * The dev server's policy: Vite serves CSS as injected <style> elements (hot reload) and
 * @vitejs/plugin-react adds an inline script (the React Refresh preamble), so both need
 * 'unsafe-inline' there; everything else is as strict as the build. HMR's websocket is same-origin.
 */
const DEV: Readonly<Record<string, string>> = {
  'script-src': `${CSP['script-src']} 'unsafe-inline'`,
  'style-src': `${CSP['style-src']} 'unsafe-inline'`,
};

export const cspString = (p: Readonly<Record<string, string>>): string =>
  Object.entries(p)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');

/**
 * The Content-Security-Policy header on the preview (built) or dev server, the same on every path:
 * worker scripts get their policy from their own response, and they need no more than the page
 * (src/engine/onnx-proto.ts writes ONNX without generated code, so no 'unsafe-eval' anywhere).
 */
export function cspHeader(dev: boolean): string {
  return cspString({ ...CSP, ...(dev ? DEV : {}), ...HEADER_ONLY });
}

const META = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"\s*\/?>/;

/**
 * index.html's meta policy is checked against CSP at build time and swapped for the dev policy
 * when serving; both servers send the policy as a header on every response (workers included).
 */
function csp(): Plugin {
  const headers =
    (dev: boolean) => (_req: unknown, res: { setHeader(k: string, v: string): void }, next: () => void) => {
      res.setHeader('Content-Security-Policy', cspHeader(dev));
      next();
    };
  return {
    name: 'gcrl-csp',
    configureServer: (server) => void server.middlewares.use(headers(true)),
    configurePreviewServer: (server) => void server.middlewares.use(headers(false)),
    transformIndexHtml: {
      order: 'pre',
      handler(html, ctx) {
        const m = META.exec(html);
        if (!m) throw new Error('index.html has no Content-Security-Policy meta tag');
        if (ctx.server) return html.replace(m[1] as string, cspString({ ...CSP, ...DEV }));
        if (m[1] !== cspString(CSP))
          throw new Error(
            `index.html's CSP meta differs from vite.config.ts CSP:\n${m[1]}\n${cspString(CSP)}`,
          );
        return html;
      },
    },
  };
}

// COOP/COEP make the page crossOriginIsolated, which SharedArrayBuffer (multi-threaded ORT WASM) requires.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export default defineConfig({
  plugins: [react(), csp()],
  worker: { format: 'es' },
  resolve: {
    // Makes onnxruntime-web load its .wasm/.mjs from wasmPaths instead of bundling them.
    conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions],
  },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022' },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    headers: isolationHeaders,
  },
  preview: { host: '127.0.0.1', port: 5173, strictPort: true, headers: isolationHeaders },
});
