// Makes a fresh checkout ready to run: installs npm deps, Chromium (for e2e tests) and copies the ORT wasm files.
// Usage: node scripts/setup.mjs [--browser]   (--browser: Chromium is required, fail if it cannot be installed)
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const needBrowser = process.argv.includes('--browser');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function run(cmd, env = {}) {
  console.log(`setup: ${cmd}`);
  execSync(cmd, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
}

// 1. npm dependencies: install when missing or when package-lock.json changed since the last install.
const lock = join(root, 'package-lock.json');
const installedLock = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installedLock) || statSync(lock).mtimeMs > statSync(installedLock).mtimeMs) {
  try {
    run('npm ci', { ONNXRUNTIME_NODE_INSTALL: 'skip' });
  } catch {
    // npm ci rejects the lockfile when optional platform packages are missing from it; npm install accepts it.
    console.warn('setup: npm ci failed, falling back to npm install');
    run('npm install --no-audit --no-fund', { ONNXRUNTIME_NODE_INSTALL: 'skip' });
  }
}

// 2. Chromium for the Playwright e2e tests (Playwright cannot download its own browsers here).
if (!existsSync(chromium)) {
  const isRoot = process.getuid?.() === 0;
  const isDebian = existsSync('/etc/debian_version');
  if (needBrowser && isRoot && isDebian && !process.env.CHROMIUM_PATH) {
    run('apt-get update && apt-get install -y chromium', { DEBIAN_FRONTEND: 'noninteractive' });
  } else {
    console.warn(
      `setup: Chromium not found at ${chromium}. Install it (Debian/Ubuntu: sudo apt-get install -y chromium)` +
        ' or set CHROMIUM_PATH to a Chromium/Chrome binary. It is only needed for the e2e tests.',
    );
    if (needBrowser) process.exit(1);
  }
}

// 3. ORT wasm runtimes into public/ort/.
run('node scripts/copy-ort-wasm.mjs');
