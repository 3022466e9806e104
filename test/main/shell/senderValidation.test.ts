import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN } from '../../../main/shell/appProtocol.ts';
import { isTrustedSender } from '../../../main/shell/senderValidation.ts';

describe('IPC sender validation', () => {
  it.each([
    APP_ENTRY_URL,
    'app://coffre/index.html',
    'app://coffre/',
    `${APP_ORIGIN}/index.html#/approvals`,
    'app://coffre/index.html?x=1',
  ])('trusts our app origin: %s', (url) => {
    expect(isTrustedSender(url)).toBe(true);
  });

  it.each([
    ['a file:// page', 'file:///home/user/app/index.html'],
    ['a local dev server', 'http://localhost:5173/'],
    ['https', 'https://coffre/index.html'],
    ['devtools', 'devtools://devtools/bundled/inspector.html'],
    ['another app:// host', 'app://evil/index.html'],
    ['a look-alike host', 'app://coffre.evil.com/index.html'],
    ['credentials in the URL', 'app://user:pw@coffre/index.html'],
    ['a port', 'app://coffre:8080/index.html'],
    ['about:blank', 'about:blank'],
    ['a data: URL', 'data:text/html,<script>1</script>'],
    ['javascript:', 'javascript:alert(1)'],
    ['chrome-error', 'chrome-error://chromewebdata/'],
    ['an empty string', ''],
    ['garbage', 'not a url'],
  ])('refuses %s', (_what, url) => {
    expect(isTrustedSender(url)).toBe(false);
  });

  it('refuses a sender whose frame is gone (url undefined)', () => {
    expect(isTrustedSender(undefined)).toBe(false);
  });
});
