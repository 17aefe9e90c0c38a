#!/usr/bin/env node
// The `gcrl` command: runs the TypeScript CLI (src/cli/main.ts) through tsx's loader. tsx is a
// runtime dependency (package.json "dependencies"), so `npm ci --omit=dev` is enough to run it.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
