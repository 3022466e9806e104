/** The sign-in screen's other addresses of a server (issue 16): one per line or comma-separated. */
import { describe, expect, it } from 'vitest';
import { parseFailoverUrls } from '../../renderer/src/serverUrls.ts';

describe('other addresses of a server', () => {
  it('takes lines and commas, trims, drops the main address and repeats', () => {
    expect(
      parseFailoverUrls(
        ' https://b.example/ ,https://c.example:8443\n\nhttps://a.example\nhttps://b.example',
        'https://a.example/',
      ),
    ).toEqual({ ok: true, urls: ['https://b.example', 'https://c.example:8443'] });
    expect(parseFailoverUrls('  \n , ', 'https://a.example')).toEqual({ ok: true, urls: [] });
  });

  it('names the entry that is not an http(s) address, and refuses too many', () => {
    expect(parseFailoverUrls('https://b.example\npam2.example', 'https://a.example')).toEqual({
      ok: false,
      problem: 'invalid',
      value: 'pam2.example',
    });
    expect(parseFailoverUrls('ftp://b.example', 'https://a.example')).toMatchObject({ problem: 'invalid' });
    const many = Array.from({ length: 9 }, (_, i) => `https://n${i}.example`).join(',');
    expect(parseFailoverUrls(many, 'https://a.example')).toEqual({ ok: false, problem: 'tooMany' });
  });
});
