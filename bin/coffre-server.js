#!/usr/bin/env node
// Node 22.18+ runs the TypeScript sources directly (type stripping): no build step for the server.
import { assertNodeVersion } from './nodeVersion.js';

assertNodeVersion('coffre-server');
await import('../server/main.ts');
