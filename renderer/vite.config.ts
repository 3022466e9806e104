/**
 * The renderer's build: a static bundle (ES modules, hashed assets, relative URLs) that loads the
 * same from Electron's app:// protocol and from a plain static server (the e2e harness).
 *
 * Self-contained on purpose: electron.vite.config.ts can spread `rendererConfig` into its
 * `renderer` section, and `npx vite build --config renderer/vite.config.ts` builds it alone.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { CSP_DIRECTIVES } from '../main/shell/contentSecurityPolicy.ts';

const rendererRoot = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../out/renderer', import.meta.url));

/**
 * Puts the app's CSP in the built index.html too, so a browser that loads the build without
 * Electron's header (the e2e harness) enforces the same policy. `frame-ancestors` is left out:
 * browsers ignore it in a <meta> and say so on the console. Build only: the dev server's
 * React Refresh preamble is an inline script.
 */
function cspMetaTag(): Plugin {
  const policy = Object.entries(CSP_DIRECTIVES)
    .filter(([name]) => name !== 'frame-ancestors')
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
  return {
    name: 'coffre-csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: policy },
          injectTo: 'head-prepend',
        },
      ],
    },
  };
}

/** Fails the build if Vite ever inlines a script into index.html (the CSP would block it). */
function noInlineScripts(): Plugin {
  return {
    name: 'coffre-no-inline-scripts',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'asset' || !file.fileName.endsWith('.html')) continue;
        const html = String(file.source);
        for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
          const [, attrs = '', body = ''] = match;
          if (!/\bsrc=/.test(attrs) || body.trim() !== '') {
            this.error(`${file.fileName} contains an inline script; the CSP forbids it.`);
          }
        }
      }
    },
  };
}

export const rendererConfig: UserConfig = {
  root: rendererRoot,
  base: './',
  plugins: [react(), cspMetaTag(), noInlineScripts()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2023',
    // The polyfill is code Vite would add for old browsers; Electron and Chromium need none.
    modulePreload: { polyfill: false },
    // Keep every asset a file: `data:` is allowed for images only.
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: { strictPort: false },
};

export default defineConfig(rendererConfig);
