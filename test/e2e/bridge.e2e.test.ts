/**
 * The harness itself, so the scenarios can be trusted: the page gets exactly the preload's API,
 * the router answers the app origin and nothing else (another origin, an iframe of one), and the
 * app's Content Security Policy is in force on the served build.
 */
import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../../common/ipc.ts';
import { setupWorld } from './fixtures.ts';
import { APP_URL, isTrustedE2eSender, waitUntil } from './harness.ts';

const ctx = setupWorld();

describe('e2e bridge', () => {
  it('accepts exactly the app origin as a sender', () => {
    expect(isTrustedE2eSender(APP_URL)).toBe(true);
    expect(isTrustedE2eSender('https://app.coffre.test/anything?x=1#y')).toBe(true);
    for (const url of [
      undefined,
      '',
      'http://app.coffre.test/index.html',
      'https://app.coffre.test:8443/index.html',
      'https://evil.app.coffre.test/index.html',
      'https://app.coffre.test.evil.example/index.html',
      'https://user:pw@app.coffre.test/index.html',
      'app://coffre/index.html',
      'about:blank',
      'file:///index.html',
      'not a url',
    ]) {
      expect(isTrustedE2eSender(url), String(url)).toBe(false);
    }
  });

  it('gives the page window.coffre with the contract’s calls, frozen, and nothing of Node', async () => {
    const user = await ctx.user({ label: 'bridge' });
    const shape = await user.page.evaluate(() => {
      const coffre = (globalThis as any).coffre;
      const calls: string[] = [];
      for (const [area, methods] of Object.entries(coffre)) {
        if (typeof methods === 'function') continue;
        for (const method of Object.keys(methods as object)) calls.push(`${area}:${method}`);
      }
      return {
        calls: calls.sort(),
        onEvent: typeof coffre.onEvent,
        frozen: Object.isFrozen(coffre) && Object.isFrozen(coffre.session),
        node: typeof (globalThis as any).process + typeof (globalThis as any).require,
      };
    });
    expect(shape.calls).toEqual([...IPC_CHANNELS].sort());
    expect(shape.onEvent).toBe('function');
    expect(shape.frozen).toBe(true);
    expect(shape.node).toBe('undefinedundefined');
    const state = await user.page.evaluate(() => (globalThis as any).coffre.session.getState());
    expect(state).toMatchObject({ ok: true, value: { status: 'signedOut' } });
  });

  it('refuses calls from another origin, as a page and as an iframe inside the app', async () => {
    const user = await ctx.user({ label: 'bridge origins' });
    const { context, page } = user;
    // A page on another origin, served by the test (the harness refuses any other origin).
    await context.route('https://elsewhere.test/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>elsewhere</title><p>hi</p>' }),
    );
    const other = await context.newPage();
    await other.goto('https://elsewhere.test/');
    const refused = await other.evaluate(() => (globalThis as any).coffre.session.getState());
    expect(refused).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    await other.close();

    // An iframe from that origin inside the app page: the app's CSP (frame-src 'none') refuses to
    // load it, and whatever document the frame is left with cannot call the router either.
    const attached = page.waitForEvent('frameattached');
    await page.evaluate(() => {
      const doc = (globalThis as any).document;
      const frame = doc.createElement('iframe');
      frame.src = 'https://elsewhere.test/frame';
      doc.body.append(frame);
    });
    const frame = await attached;
    await waitUntil(
      () =>
        user.pageErrors.some((error) =>
          error.includes('violates the following Content Security Policy directive: "frame-src \'none\'"'),
        ),
      'the CSP refusing the frame',
    );
    const fromFrame = await frame
      .evaluate(
        () => (globalThis as any).coffre?.session.getState() ?? { ok: false, error: { kind: 'no bridge' } },
      )
      .catch((error: Error) => ({ ok: false, error: { kind: 'no document', message: error.message } }));
    expect(fromFrame).toMatchObject({ ok: false });
    expect(['forbidden', 'no bridge', 'no document']).toContain((fromFrame as any).error.kind);
    user.pageErrors.splice(0);
  });

  it('serves the build under the app’s CSP: an injected inline script does not run', async () => {
    const user = await ctx.user({ label: 'bridge csp' });
    const ran = await user.page.evaluate(async () => {
      const scope = globalThis as any;
      const script = scope.document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      scope.document.head.append(script);
      await new Promise((resolve) => scope.setTimeout(resolve, 50));
      return scope.__inlineRan === true;
    });
    expect(ran).toBe(false);
    expect(user.pageErrors.some((error) => error.includes('Content Security Policy'))).toBe(true);
    user.pageErrors.splice(0);
  });
});
