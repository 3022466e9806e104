/**
 * Coffre's client against a real Devolutions Server, which answers Coffre's own routes (user
 * details, vaults, approvers, extension, audit, incremental sync, live events) with 404: each
 * becomes one clear "Not offered by this server" refusal (kind `unsupported`, code `not_offered`),
 * in English and French, or a fallback where there is one — never a "not found". A fake fetch plays
 * the DVLS (docs/wire/dvls.md, "Coffre's own client against a DVLS").
 */
import { describe, expect, it } from 'vitest';
import { describeError } from '../../cli/errors.ts';
import { MESSAGES } from '../../cli/messages.ts';
import { createPamBackend } from '../../client/createPamBackend.ts';
import type { FetchLike, SubscriptionStatus } from '../../client/pamBackend.ts';
import { localizeServerError } from '../../common/serverErrorText.ts';
import { caught } from './support.ts';

const USER = {
  id: 'b0b0b0b0-1111-4a4a-8b8b-000000000001',
  username: 'bob',
  displayName: 'Bob',
  roles: ['user'],
};
const CREDENTIAL = '92e1d27f-6e7b-4c62-86da-a04fc22603c2';
const CHECKOUT = '11111111-2222-4333-8444-555555555555';

/** Any request: 404 with IIS's empty body, as a DVLS answers a route it does not have. */
function dvlsFetch(answer?: (url: URL) => Response | undefined): { fetch: FetchLike; urls: string[] } {
  const urls: string[] = [];
  const fetch: FetchLike = async (input) => {
    const url = new URL(String(input));
    urls.push(`${url.pathname}${url.search}`);
    return answer?.(url) ?? new Response('', { status: 404 });
  };
  return { fetch, urls };
}

function backendOn(fetch: FetchLike, withUser = true) {
  return createPamBackend({
    baseUrl: 'https://dvls.example.test',
    dialect: 'checkout',
    token: 'a-dvls-token',
    ...(withUser ? { user: USER as never } : {}),
    fetch,
  });
}

async function expectNotOffered(work: () => Promise<unknown>, feature: string) {
  const error = await caught(work);
  expect(error.kind).toBe('unsupported');
  expect(error.code).toBe('not_offered');
  expect(error.message).toBe(
    `Not offered by this server: ${feature} (a Coffre addition that Devolutions Server does not have).`,
  );
  return error;
}

describe('Coffre-only routes against a DVLS that answers 404', () => {
  it('vaults, approvers, extension, audit and incremental sync say "not offered by this server"', async () => {
    const { fetch } = dvlsFetch();
    const backend = backendOn(fetch);
    await expectNotOffered(() => backend.listVaults(), 'the list of vaults');
    await expectNotOffered(() => backend.listApprovers(CREDENTIAL), 'the approvers of a credential');
    await expectNotOffered(() => backend.extend(CHECKOUT, 30), 'extending a checkout');
    await expectNotOffered(() => backend.listAudit!({}), 'the audit trail');
    await expectNotOffered(() => backend.listCredentialChanges(7), 'incremental sync');
  });

  it('whoami keeps the user the sign-in named; without one, says not offered', async () => {
    const { fetch } = dvlsFetch();
    expect(await backendOn(fetch).whoami()).toEqual(USER);
    await expectNotOffered(() => backendOn(fetch, false).whoami(), 'your user details');
  });

  it('a Coffre 404 naming the missing thing stays "not found"', async () => {
    const { fetch } = dvlsFetch(
      () =>
        new Response(
          JSON.stringify({
            message: 'The credential was not found.',
            error: { code: 'not_found', message: 'The credential was not found.' },
          }),
          { status: 404, headers: { 'content-type': 'application/json' } },
        ),
    );
    const error = await caught(() => backendOn(fetch).listApprovers(CREDENTIAL));
    expect(error.kind).toBe('not_found');
    expect(error.message).toBe('The credential was not found.');
  });

  it('live events: polling instead in auto mode; in sse mode one not-offered refusal, no retry loop', async () => {
    const { fetch, urls } = dvlsFetch((url) =>
      url.pathname === '/api/pam/checkouts' ? Response.json([]) : undefined,
    );
    const backend = backendOn(fetch);
    const statuses: SubscriptionStatus[] = [];
    const polling = new Promise<void>((resolve) => {
      const stop = backend.subscribe(() => undefined, {
        mode: 'auto',
        onStatus: (status) => {
          statuses.push(status);
          if (status === 'polling') {
            stop();
            resolve();
          }
        },
      });
    });
    await polling;
    expect(statuses).toContain('polling');

    const refused = await new Promise<Error | undefined>((resolve) => {
      backend.subscribe(() => undefined, {
        mode: 'sse',
        onStatus: (status, detail) => {
          if (status === 'closed') resolve(detail?.error);
        },
      });
    });
    expect(refused).toMatchObject({ kind: 'unsupported', code: 'not_offered' });
    expect(refused?.message).toMatch(/^Not offered by this server: live events/);
    expect(urls.filter((url) => url.startsWith('/api/events'))).toHaveLength(2);
  });

  it('the refusal reads in French, in the CLI as in the desktop’s detail', async () => {
    const error = await expectNotOffered(
      () => backendOn(dvlsFetch().fetch).listVaults(),
      'the list of vaults',
    );
    expect(localizeServerError(error.code, error.message, 'fr')).toBe(
      'Non proposé par ce serveur\u00a0: la liste des coffres (un ajout de Coffre qu’un serveur Devolutions n’a pas).',
    );
    expect(describeError(error, MESSAGES.fr).message).toBe(
      'Non proposé par ce serveur\u00a0: la liste des coffres (un ajout de Coffre qu’un serveur Devolutions n’a pas).',
    );
    expect(describeError(error, MESSAGES.en).message).toBe(error.message);
  });
});
