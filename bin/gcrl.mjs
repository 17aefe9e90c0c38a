#!/usr/bin/env node
// The `gcrl` command: runs the TypeScript CLI (src/cli/main.ts) through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
