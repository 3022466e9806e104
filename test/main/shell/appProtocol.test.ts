import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  contentTypeFor,
  resolveAppRequest,
  resolveInsideRoot,
} from '../../../main/shell/appProtocol.ts';

const root = path.resolve('/srv/coffre/out/renderer');
const inRoot = (...parts: string[]) => path.join(root, ...parts);

describe('app:// path resolution', () => {
  it('serves index.html for the entry URL and the bare origin', () => {
    expect(resolveAppRequest(APP_ENTRY_URL, root)).toEqual({
      ok: true,
      file: inRoot('index.html'),
      contentType: 'text/html; charset=utf-8',
    });
    expect(resolveAppRequest('app://coffre/', root)).toMatchObject({ ok: true, file: inRoot('index.html') });
    expect(resolveAppRequest('app://coffre', root)).toMatchObject({ ok: true, file: inRoot('index.html') });
  });

  it('serves assets with their content type, ignoring query and fragment', () => {
    expect(resolveAppRequest('app://coffre/assets/index-abc.js?v=1#x', root)).toEqual({
      ok: true,
      file: inRoot('assets', 'index-abc.js'),
      contentType: 'text/javascript; charset=utf-8',
    });
    expect(resolveAppRequest('app://coffre/assets/font%20name.woff2', root)).toMatchObject({
      ok: true,
      file: inRoot('assets', 'font name.woff2'),
    });
  });

  it('serves index.html for an in-app route (no extension)', () => {
    expect(resolveAppRequest('app://coffre/approvals', root)).toMatchObject({
      ok: true,
      file: inRoot('index.html'),
    });
  });

  it.each([
    'app://coffre/../../../etc/passwd',
    'app://coffre/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    'app://coffre/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://coffre/..%5c..%5cwindows%5cwin.ini',
    'app://coffre/%2fetc%2fpasswd',
    'app://coffre//etc/passwd',
    'app://coffre/C:%5CWindows%5Cwin.ini',
    'app://coffre/C:/Windows/win.ini',
    'app://coffre/index.html%00.png',
    'app://coffre/%E0%A4%A',
  ])('never resolves outside the renderer directory: %s', (url) => {
    const resolution = resolveAppRequest(url, root);
    if (resolution.ok) {
      expect(resolution.file.startsWith(root + path.sep)).toBe(true);
      expect(resolution.file).not.toMatch(/passwd|win\.ini/);
    } else {
      expect([400, 403, 404]).toContain(resolution.status);
    }
  });

  it('refuses encoded separators and dot segments outright', () => {
    expect(resolveAppRequest('app://coffre/assets/..%2f..%2fsecret.js', root)).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(resolveAppRequest('app://coffre/..%5csecret.js', root)).toMatchObject({ ok: false, status: 400 });
    expect(resolveAppRequest('app://coffre//etc/passwd.txt', root)).toMatchObject({ ok: false, status: 400 });
  });

  it.each([
    'app://evil/index.html',
    'https://coffre/index.html',
    'file:///index.html',
    'app://coffre:1/index.html',
  ])('refuses another origin: %s', (url) => {
    expect(resolveAppRequest(url, root).ok).toBe(false);
  });

  it('refuses a malformed URL', () => {
    expect(resolveAppRequest('not a url', root)).toMatchObject({ ok: false, status: 400 });
  });
});

describe('resolveInsideRoot', () => {
  it('joins a relative path', () => {
    expect(resolveInsideRoot(root, 'assets/a.js')).toBe(inRoot('assets', 'a.js'));
  });

  it.each(['../secret', 'assets/../../secret', '..', '..\\secret', 'a/../../b'])(
    'refuses the .. path %s',
    (relative) => {
      expect(resolveInsideRoot(root, relative)).toBeNull();
    },
  );

  it.each(['/etc/passwd', 'C:\\Windows\\win.ini', 'C:/Windows', '\\\\server\\share\\x', 'c:relative'])(
    'refuses the absolute path %s',
    (relative) => {
      expect(resolveInsideRoot(root, relative)).toBeNull();
    },
  );

  it('refuses NUL bytes and the root itself', () => {
    expect(resolveInsideRoot(root, 'index.html\0.png')).toBeNull();
    expect(resolveInsideRoot(root, '')).toBeNull();
    expect(resolveInsideRoot(root, '.')).toBeNull();
  });
});

describe('app:// scheme', () => {
  it('is standard and secure, and bypasses nothing', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({
      scheme: 'app',
      privileges: { standard: true, secure: true },
    });
    expect(APP_SCHEME_PRIVILEGES.privileges?.bypassCSP).toBeUndefined();
    expect(APP_SCHEME_PRIVILEGES.privileges?.allowServiceWorkers).toBeUndefined();
    expect(APP_SCHEME_PRIVILEGES.privileges?.corsEnabled).toBeUndefined();
  });

  it('labels content types, unknown ones as bytes', () => {
    expect(contentTypeFor('a.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('a.svg')).toBe('image/svg+xml');
    expect(contentTypeFor('a.exe')).toBe('application/octet-stream');
  });
});
