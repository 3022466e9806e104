/** The audit trail's CSV export (issue 15, item 3): quoting, and no formula a spreadsheet would run. */
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../renderer/src/screens/History.tsx';

describe('toCsv', () => {
  it('quotes commas, quotes and line breaks (RFC 4180), one CRLF per row', () => {
    expect(
      toCsv([
        ['time', 'details'],
        ['2026-03-05T09:00:00Z', 'said "hi", then\nleft'],
      ]),
    ).toBe('time,details\r\n2026-03-05T09:00:00Z,"said ""hi"", then\nleft"\r\n');
  });
  it('turns a cell a spreadsheet would evaluate into text', () => {
    expect(toCsv([['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', 'plain']])).toBe(
      `"'=HYPERLINK(""http://x"")",'+1,'-2,'@SUM(A1),plain\r\n`,
    );
  });
});
