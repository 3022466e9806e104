#!/usr/bin/env node
// Node 22.18+ runs the TypeScript sources directly (type stripping): no build step for the server.
import { ensureRecentNode } from './nodeVersion.js';

// On an older Node (a new terminal on Node 20), this re-runs itself under the project's Node 24.
await ensureRecentNode('coffre-server');
await import('../server/main.ts');
