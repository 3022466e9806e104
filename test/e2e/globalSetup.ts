/**
 * Once per e2e run: builds the renderer into out/renderer (what the tests load) and checks that
 * Debian's Chromium is there, so a missing browser fails loudly once instead of in every file.
 * COFFRE_E2E_SKIP_BUILD=1 reuses an existing build (while iterating on tests only); with
 * COFFRE_E2E_RENDERER_DIR the suite loads a build from elsewhere (and never builds over it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildRenderer, CHROMIUM_PATH, RENDERER_DIR } from './harness.ts';

export default async function setup(): Promise<void> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`The e2e suite needs Chromium at ${CHROMIUM_PATH} (apt-get install chromium).`);
  }
  const reuse =
    (process.env.COFFRE_E2E_SKIP_BUILD === '1' || process.env.COFFRE_E2E_RENDERER_DIR !== undefined) &&
    fs.existsSync(path.join(RENDERER_DIR, 'index.html'));
  if (!reuse) await buildRenderer();
}
