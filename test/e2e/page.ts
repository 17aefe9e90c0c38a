// Helpers for playground e2e tests: open the page with its test hook, collect console errors, page
// errors and Content-Security-Policy violations (page and workers), read the page's state.
import type { Page } from '@playwright/test';
// window.__gcrl is typed by app/testHook.ts.
import type {} from '../../app/testHook';

/** Tiny sizes so SwiftShader (CPU WebGPU) and WASM take a step in seconds. */
export const TINY = 'q=4&n=2&pairs=2&cn=2&train=32&evalq=8&evalevery=2';

/** The page's URL with the test hook asked for, no first-visit demo, and `hash` as the settings. */
export function hookUrl(hash = '', backend: 'web-wasm' | 'web-webgpu' | 'auto' = 'web-wasm'): string {
  return `/?backend=${backend}&autostart=0&testhook=1${hash ? `#${hash}` : ''}`;
}

/** Console errors and uncaught exceptions from the page and its workers. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('worker', (w) =>
    w.on('console', (m) => {
      if (m.type() === 'error') errors.push(`[worker ${w.url()}] ${m.text()}`);
    }),
  );
  return errors;
}

/** Records every `securitypolicyviolation` the page sees; read them with `cspViolations`. */
export async function watchCsp(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.defineProperty(window, '__cspViolations', { value: seen });
    addEventListener('securitypolicyviolation', (e) =>
      seen.push(
        `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`,
      ),
    );
  });
}

export const cspViolations = (page: Page): Promise<string[]> =>
  page.evaluate(() => [...((window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])]);

export const state = (page: Page) => page.evaluate(() => window.__gcrl.state());
