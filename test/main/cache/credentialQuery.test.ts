import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Credential } from '../../../common/checkout.ts';
import { type CredentialCache, openCache } from '../../../main/cache/credentialCache.ts';
import { foldForSearch } from '../../../main/cache/foldText.ts';
import { fakeKeyring } from '../../support/fakes.ts';
import { credential, guid, tempDir, VAULT_A, VAULT_B } from './support.ts';

let tmp: ReturnType<typeof tempDir>;
let cache: CredentialCache;
beforeEach(() => {
  tmp = tempDir();
  cache = openCache({ file: tmp.file, secretBox: fakeKeyring() }).cache;
});
afterEach(() => {
  cache.close();
  tmp.cleanup();
});

const names = (query: Parameters<CredentialCache['queryCredentials']>[0]) =>
  cache.queryCredentials(query).data.map((c) => c.name);

describe('queryCredentials', () => {
  it('lists everything in name order, case- and accent-insensitively', () => {
    cache.upsertCredentials([
      credential({ name: 'zulu' }),
      credential({ name: 'Écho' }),
      credential({ name: 'alpha' }),
      credential({ name: 'Delta' }),
      credential({ name: 'echoes' }),
    ]);
    expect(names({ offset: 0, limit: 10 })).toEqual(['alpha', 'Delta', 'Écho', 'echoes', 'zulu']);
  });

  it('matches a substring of name, username or host, whatever the case and accents', () => {
    cache.upsertCredentials([
      credential({ name: 'MONTRÉAL-DB', username: 'sa', host: '10.0.0.1' }),
      credential({ name: 'web', username: 'Élodie.Côté', host: 'w1' }),
      credential({ name: 'Zürich', username: 'root', host: 'zrh.example.com' }),
      credential({ name: 'Straße', username: 'x', host: 'y' }),
      credential({ name: 'Œuvre – prod', username: 'x', host: 'y' }),
      credential({ name: 'ＦＵＬＬ width', username: 'x', host: 'y' }),
    ]);
    expect(names({ search: 'montreal', offset: 0, limit: 10 })).toEqual(['MONTRÉAL-DB']);
    expect(names({ search: 'Montréal', offset: 0, limit: 10 })).toEqual(['MONTRÉAL-DB']);
    expect(names({ search: 'treal-d', offset: 0, limit: 10 })).toEqual(['MONTRÉAL-DB']);
    expect(names({ search: 'elodie.cote', offset: 0, limit: 10 })).toEqual(['web']);
    expect(names({ search: 'ZUR', offset: 0, limit: 10 })).toEqual(['Zürich']);
    expect(names({ search: 'zrh.EXAMPLE', offset: 0, limit: 10 })).toEqual(['Zürich']);
    expect(names({ search: 'strasse', offset: 0, limit: 10 })).toEqual(['Straße']);
    expect(names({ search: 'oeuvre - prod', offset: 0, limit: 10 })).toEqual(['Œuvre – prod']);
    expect(names({ search: 'full', offset: 0, limit: 10 })).toEqual(['ＦＵＬＬ width']);
    expect(names({ search: '  0.0.  ', offset: 0, limit: 10 })).toEqual(['MONTRÉAL-DB']);
    expect(names({ search: 'nothing like it', offset: 0, limit: 10 })).toEqual([]);
  });

  it('does not match across the boundary between two fields', () => {
    cache.upsertCredentials([credential({ name: 'ab', username: 'cd', host: 'ef' })]);
    expect(cache.queryCredentials({ search: 'bc', offset: 0, limit: 10 }).total).toBe(0);
    expect(cache.queryCredentials({ search: 'de', offset: 0, limit: 10 }).total).toBe(0);
    expect(cache.queryCredentials({ search: 'cd', offset: 0, limit: 10 }).total).toBe(1);
  });

  it('ranks prefix matches (of name, username or host) first, each group in name order', () => {
    cache.upsertCredentials([
      credential({ name: 'db-prod', username: 'sa', host: 'h1' }),
      credential({ name: 'Prod web', username: 'sa', host: 'h2' }),
      credential({ name: 'app', username: 'sa', host: 'prod-app.example.com' }),
      credential({ name: 'backup', username: 'svc', host: 'h3' }),
      credential({ name: 'zeta', username: 'produser', host: 'h4' }),
      credential({ name: 'cache', username: 'sa', host: 'cache.preprod.example.com' }),
      credential({ name: 'alpha-prod', username: 'sa', host: 'h5' }),
    ]);
    expect(names({ search: 'prod', offset: 0, limit: 10 })).toEqual([
      'app',
      'Prod web',
      'zeta',
      'alpha-prod',
      'cache',
      'db-prod',
    ]);
    // A later occurrence can make it a prefix match: "xprod" in the name, "prod…" as username.
    cache.upsertCredentials([credential({ name: 'aaa xprod', username: 'prodx', host: 'h6' })]);
    expect(names({ search: 'prod', offset: 0, limit: 1 })).toEqual(['aaa xprod']);
  });

  it('pages through the results with offset and limit, total counting all of them', () => {
    const many = Array.from({ length: 57 }, (_, i) =>
      credential({ name: `srv-${String(i).padStart(2, '0')}`, host: i % 3 === 0 ? 'srv.example.com' : 'h' }),
    );
    cache.upsertCredentials(many);
    const all = cache.queryCredentials({ search: 'srv', offset: 0, limit: 1000 });
    expect(all.total).toBe(57);
    const paged: string[] = [];
    for (let offset = 0; offset < 57; offset += 10) {
      const page = cache.queryCredentials({ search: 'srv', offset, limit: 10 });
      expect(page.total).toBe(57);
      paged.push(...page.data.map((c) => c.name));
    }
    expect(paged).toEqual(all.data.map((c) => c.name));
    expect(cache.queryCredentials({ search: 'srv', offset: 100, limit: 10 })).toEqual({
      data: [],
      total: 57,
    });
    expect(cache.queryCredentials({ offset: 50, limit: 100 }).data).toHaveLength(7);
  });

  it('filters by vault and search together, for a small and a large vault', () => {
    const small = guid(0xa, 99);
    const batch: Credential[] = [];
    for (let i = 0; i < 40; i++)
      batch.push(credential({ name: `db-${i}`, vaultID: i % 2 ? VAULT_A : VAULT_B }));
    batch.push(
      credential({ name: 'db-small', vaultID: small }),
      credential({ name: 'web-small', vaultID: small }),
    );
    cache.upsertCredentials(batch);
    expect(names({ vaultId: small, search: 'DB', offset: 0, limit: 10 })).toEqual(['db-small']);
    expect(cache.queryCredentials({ vaultId: VAULT_A, search: 'db-1', offset: 0, limit: 100 }).total).toBe(6);
    expect(cache.queryCredentials({ vaultId: VAULT_B, search: 'small', offset: 0, limit: 100 }).total).toBe(
      0,
    );
    // The small vault is searched entry by entry; its ranking is the same as everywhere.
    cache.upsertCredentials([
      credential({ name: 'b-xdb', username: 'u', host: 'dbhost', vaultID: small }),
      credential({ name: 'a-xdb', username: 'dbuser', host: 'h', vaultID: small }),
    ]);
    expect(names({ vaultId: small, search: 'db', offset: 0, limit: 10 })).toEqual([
      'a-xdb',
      'b-xdb',
      'db-small',
    ]);
  });
});

/** The specification, written plainly: what the index must return. */
function expected(
  all: Map<string, Credential>,
  query: { vaultId?: string; search?: string; offset: number; limit: number },
) {
  const fields = (c: Credential) => [foldForSearch(c.name), foldForSearch(c.username), foldForSearch(c.host)];
  const key = (c: Credential) => `\u0001${fields(c).join('\u0001')}`;
  let rows = [...all.values()]
    .filter((c) => query.vaultId === undefined || c.vaultID === query.vaultId)
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1));
  const term = query.search === undefined ? '' : foldForSearch(query.search).trim();
  if (term !== '') {
    const hits = rows.filter((c) => fields(c).some((f) => f.includes(term)));
    const prefix = hits.filter((c) => fields(c).some((f) => f.startsWith(term)));
    rows = [...prefix, ...hits.filter((c) => !prefix.includes(c))];
  }
  return { ids: rows.slice(query.offset, query.offset + query.limit).map((c) => c.id), total: rows.length };
}

describe('queryCredentials against a plain model, through upserts and removals', () => {
  const piece = fc.constantFrom('a', 'b', 'A', 'é', 'É', 'ab', 'ß', 'ss', '-', ' ', '1', 'x', 'Ø');
  const text = fc.array(piece, { minLength: 0, maxLength: 5 }).map((parts) => parts.join(''));
  const vaults = [VAULT_A, VAULT_B, guid(0xa, 3)];
  // Vault 3 is rare: queries on it take the per-entry path, the others the joined-string path.
  const vaultId = fc.constantFrom(VAULT_A, VAULT_A, VAULT_A, VAULT_B, VAULT_B, VAULT_B, vaults[2]!);
  const item = fc.record({
    n: fc.integer({ min: 0, max: 60 }),
    name: text,
    username: text,
    host: text,
    vaultID: vaultId,
  });
  const op = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('upsert' as const),
        items: fc.array(item, { maxLength: 25 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('remove' as const),
        ns: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 10 }),
      }),
    },
    // Close and open again: the index comes back from the snapshot written at close.
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const) }) },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('query' as const),
        search: fc.option(fc.oneof(text, piece), { nil: undefined }),
        vaultId: fc.option(fc.constantFrom(...vaults), { nil: undefined }),
        offset: fc.integer({ min: 0, max: 30 }),
        limit: fc.integer({ min: 1, max: 30 }),
      }),
    },
  );

  it('returns what the model returns, in the same order, with the same total', () => {
    let run = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
        const keyring = fakeKeyring();
        const file = `${tmp.dir}/model-${run++}.db`;
        let memory = openCache({ file, secretBox: keyring }).cache;
        const model = new Map<string, Credential>();
        try {
          for (const step of ops) {
            if (step.kind === 'upsert') {
              const batch = step.items.map(({ n, ...fields }) => credential({ id: guid(0xf, n), ...fields }));
              memory.upsertCredentials(batch);
              for (const c of batch) model.set(c.id, c);
            } else if (step.kind === 'remove') {
              const ids = step.ns.map((n) => guid(0xf, n));
              memory.removeCredentials(ids);
              for (const id of ids) model.delete(id);
            } else if (step.kind === 'reopen') {
              memory.close();
              const reopened = openCache({ file, secretBox: keyring });
              expect(reopened.opened).toBe('existing');
              memory = reopened.cache;
            } else {
              const query = {
                offset: step.offset,
                limit: step.limit,
                ...(step.search === undefined ? {} : { search: step.search }),
                ...(step.vaultId === undefined ? {} : { vaultId: step.vaultId }),
              };
              const page = memory.queryCredentials(query);
              const want = expected(model, query);
              expect({ ids: page.data.map((c) => c.id), total: page.total }).toEqual(want);
              for (const c of page.data) expect(c).toEqual(model.get(c.id));
            }
          }
          expect(memory.credentialIds().sort()).toEqual([...model.keys()].sort());
        } finally {
          memory.close();
        }
      }),
      { numRuns: 250 },
    );
  });
});

describe('arranged queries (issue 15, item 7)', () => {
  it('filters by id, lists favourites then recent ones first, and sorts by vault name', () => {
    cache.upsertVaults([
      { id: VAULT_A, name: 'Zeta', description: '' },
      { id: VAULT_B, name: 'Alpha', description: '' },
    ]);
    const a = credential({ name: 'a', vaultID: VAULT_A });
    const b = credential({ name: 'b', vaultID: VAULT_B });
    const c = credential({ name: 'c', vaultID: VAULT_A });
    const d = credential({ name: 'd', vaultID: VAULT_B });
    cache.upsertCredentials([a, b, c, d]);
    expect(names({ offset: 0, limit: 10, accept: (id) => id !== b.id })).toEqual(['a', 'c', 'd']);
    expect(names({ offset: 0, limit: 10, favourites: new Set([d.id]), recent: [c.id, d.id, b.id] })).toEqual([
      'd',
      'c',
      'b',
      'a',
    ]);
    expect(names({ offset: 0, limit: 10, byVault: true })).toEqual(['b', 'd', 'a', 'c']);
    expect(names({ offset: 1, limit: 2, byVault: true, favourites: new Set([c.id]) })).toEqual(['b', 'd']);
    expect(cache.queryCredentials({ offset: 0, limit: 1, byVault: true }).total).toBe(4);
  });

  it('keeps who holds what apart, across a restart, without opening every row', () => {
    const keyring = fakeKeyring();
    cache.close();
    cache = openCache({ file: tmp.file, secretBox: keyring }).cache;
    const held = credential({
      name: 'held',
      checkout: { id: guid(7, 1), status: 4, userID: guid(8, 1), username: 'kelly', expiresAt: null },
    });
    const free = credential({ name: 'free' });
    cache.upsertCredentials([held, free]);
    expect([...cache.heldCredentials().keys()]).toEqual([held.id]);
    cache.close();
    cache = openCache({ file: tmp.file, secretBox: keyring }).cache;
    expect(cache.heldCredentials().get(held.id)).toMatchObject({ checkout: { username: 'kelly' } });
    cache.upsertCredentials([{ ...held, checkout: null }]);
    expect(cache.heldCredentials().size).toBe(0);
  });
});
