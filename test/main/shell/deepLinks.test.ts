import { describe, expect, it } from 'vitest';
import { deepLinkFromArgv, parseDeepLink } from '../../../main/shell/deepLinks.ts';

const ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

describe('coffre:// deep links', () => {
  it('opens a checkout', () => {
    expect(parseDeepLink(`coffre://checkout/${ID}`)).toEqual({ route: 'checkouts', id: ID });
  });

  it('opens a pending request', () => {
    expect(parseDeepLink(`coffre://approvals/${ID}`)).toEqual({ route: 'approvals', id: ID });
  });

  it('normalises the id to lower case and accepts a trailing slash', () => {
    expect(parseDeepLink(`coffre://approvals/${ID.toUpperCase()}/`)).toEqual({ route: 'approvals', id: ID });
  });

  it.each([
    ['another scheme', `https://checkout/${ID}`],
    ['an unknown route', `coffre://settings/${ID}`],
    ['a route that acts', `coffre://approve/${ID}`],
    ['no id', 'coffre://checkout/'],
    ['no id nor slash', 'coffre://checkout'],
    ['an id that is not a GUID', 'coffre://checkout/1234'],
    ['a GUID with junk', `coffre://checkout/${ID}x`],
    ['an extra segment', `coffre://checkout/${ID}/approve`],
    ['a query (an action smuggled in)', `coffre://approvals/${ID}?action=approve`],
    ['a fragment', `coffre://approvals/${ID}#approve`],
    ['credentials', `coffre://user:pw@checkout/${ID}`],
    ['a port', `coffre://checkout:80/${ID}`],
    ['the opaque form', `coffre:checkout/${ID}`],
    ['garbage', 'coffre://'],
    ['a too long link', `coffre://checkout/${ID}/${'a'.repeat(300)}`],
    ['not a string', 42],
  ])('ignores %s', (_what, link) => {
    expect(parseDeepLink(link)).toBeNull();
  });

  it.each([
    `coffre://checkout/../approvals/${ID}`,
    `coffre://checkout/%2e%2e/approvals/${ID}`,
    `coffre://checkout/..%2fapprovals%2f${ID}`,
    `coffre://checkout/${ID}/..`,
    `coffre://checkout/..%5c..%5c${ID}`,
    `coffre://checkout/%2F${ID}`,
  ])('refuses the traversal attempt %s', (link) => {
    expect(parseDeepLink(link)).toBeNull();
  });

  it('finds the link among the arguments Windows and Linux pass to a second instance', () => {
    expect(deepLinkFromArgv(['/opt/Coffre/coffre', '--no-sandbox', `coffre://approvals/${ID}`])).toEqual({
      route: 'approvals',
      id: ID,
    });
    // Schemes are case-insensitive (Windows passes the link as it was typed).
    expect(deepLinkFromArgv(['C:\\Coffre\\Coffre.exe', '--', `COFFRE://checkout/${ID}`])).toEqual({
      route: 'checkouts',
      id: ID,
    });
    expect(deepLinkFromArgv(['/opt/Coffre/coffre', 'coffre://nope', `coffre://checkout/${ID}`])).toEqual({
      route: 'checkouts',
      id: ID,
    });
    expect(deepLinkFromArgv(['/opt/Coffre/coffre'])).toBeNull();
  });
});
