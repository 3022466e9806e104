import { describe, expect, it } from 'vitest';
import {
  decideNavigation,
  decideWindowOpen,
  EXTERNAL_LINK_HOSTS,
  externalLinkTarget,
} from '../../../main/shell/navigationGuard.ts';

const policy = { allowedHosts: ['docs.coffre.example'] };

describe('will-navigate', () => {
  it('allows navigation within app://coffre', () => {
    expect(decideNavigation('app://coffre/index.html', policy)).toEqual({ action: 'allow' });
    expect(decideNavigation('app://coffre/index.html#/approvals', policy)).toEqual({ action: 'allow' });
  });

  it.each([
    'https://evil.example/',
    'http://localhost:5173/',
    'http://docs.coffre.example/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<h1>x</h1>',
    'app://evil/index.html',
    'about:blank',
    'coffre://checkout/3f2504e0-4f89-11d3-9a0c-0305e82c3301',
  ])('denies %s and opens nothing', (url) => {
    expect(decideNavigation(url, policy)).toEqual({ action: 'deny', openExternal: null });
  });

  it('denies an allow-listed https link in the window but hands it to the OS browser', () => {
    expect(decideNavigation('https://docs.coffre.example/guide', policy)).toEqual({
      action: 'deny',
      openExternal: 'https://docs.coffre.example/guide',
    });
  });
});

describe('window.open / target=_blank', () => {
  it('never opens an Electron window, not even for our own origin', () => {
    expect(decideWindowOpen('app://coffre/index.html', policy)).toEqual({
      action: 'deny',
      openExternal: null,
    });
  });

  it('opens allow-listed https links externally', () => {
    expect(decideWindowOpen('https://docs.coffre.example/a?b=c', policy)).toEqual({
      action: 'deny',
      openExternal: 'https://docs.coffre.example/a?b=c',
    });
  });

  it.each([
    'https://evil.example/',
    'javascript:alert(1)',
    'file:///C:/Windows/System32/calc.exe',
    'data:text/html,x',
    'smb://server/share',
    'ms-msdt:/id PCWDiagnostic',
  ])('opens nothing for %s', (url) => {
    expect(decideWindowOpen(url, policy)).toEqual({ action: 'deny', openExternal: null });
  });
});

describe('external link validation', () => {
  it.each([
    ['plain http', 'http://docs.coffre.example/'],
    ['a subdomain', 'https://x.docs.coffre.example/'],
    ['a suffix look-alike', 'https://docs.coffre.example.evil.com/'],
    ['credentials', 'https://user:pw@docs.coffre.example/'],
    ['an explicit port', 'https://docs.coffre.example:8443/'],
    ['garbage', 'https://'],
  ])('refuses %s', (_what, url) => {
    expect(externalLinkTarget(url, policy)).toBeNull();
  });

  it('matches the host case-insensitively and returns the normalised URL', () => {
    expect(externalLinkTarget('https://DOCS.Coffre.example/Guide', policy)).toBe(
      'https://docs.coffre.example/Guide',
    );
  });

  it('ships with an empty allow-list: nothing opens until a host is added on purpose', () => {
    expect(EXTERNAL_LINK_HOSTS).toEqual([]);
    expect(externalLinkTarget('https://github.com/', { allowedHosts: EXTERNAL_LINK_HOSTS })).toBeNull();
  });
});
