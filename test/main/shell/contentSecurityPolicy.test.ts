import { describe, expect, it } from 'vitest';
import { appResponseHeaders } from '../../../main/shell/appProtocol.ts';
import { CONTENT_SECURITY_POLICY, CSP_DIRECTIVES } from '../../../main/shell/contentSecurityPolicy.ts';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name as string, sources]),
  );
}

const parsed = directives(CONTENT_SECURITY_POLICY);
const allSources = [...parsed.values()].flat();

describe('content security policy', () => {
  it('allows no eval and no inline script or style', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toContain('wasm-unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-hashes');
  });

  it('loads scripts from the app only', () => {
    expect(parsed.get('script-src')).toEqual(["'self'"]);
    expect(parsed.get('default-src')).toEqual(["'self'"]);
    expect(parsed.get('script-src-attr')).toEqual(["'none'"]);
  });

  it('names no remote source: no scheme, host or wildcard besides data: images', () => {
    for (const source of allSources) {
      expect(["'self'", "'none'", 'data:']).toContain(source);
    }
    expect(parsed.get('img-src')).toEqual(["'self'", 'data:']);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*|ws:|blob:/);
  });

  it('connects nowhere but the app (the renderer talks over IPC)', () => {
    expect(parsed.get('connect-src')).toEqual(["'self'"]);
  });

  it('sets object-src, base-uri, form-action and frame-ancestors to none', () => {
    expect(parsed.get('object-src')).toEqual(["'none'"]);
    expect(parsed.get('base-uri')).toEqual(["'none'"]);
    expect(parsed.get('form-action')).toEqual(["'none'"]);
    expect(parsed.get('frame-ancestors')).toEqual(["'none'"]);
    expect(parsed.get('frame-src')).toEqual(["'none'"]);
  });

  it('serialises every directive', () => {
    expect([...parsed.keys()].sort()).toEqual(Object.keys(CSP_DIRECTIVES).sort());
  });

  it('is sent on every app:// response, with nosniff', () => {
    for (const type of ['text/html; charset=utf-8', 'text/plain; charset=utf-8', 'image/png']) {
      const headers = appResponseHeaders(type);
      expect(headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(headers['X-Content-Type-Options']).toBe('nosniff');
      expect(headers['Content-Type']).toBe(type);
    }
  });
});
