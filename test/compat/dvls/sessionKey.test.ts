/**
 * The session key of New-DSSession's handshake is kept with its token, sealed with the master key:
 * a module session signed in before a server restart still reads its passwords encrypted under its
 * key after it (Public/Pam/Passwords/Get-DSPamPassword.ps1 -Decrypted, 2022.2, commit b8023ee), the
 * server publishes the same public key again, and neither key is in the database in clear.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../../server/crypto/tokens.ts';
import { DEMO_IDS, DEMO_PASSWORD } from '../../../server/demo.ts';
import { ManualClock } from '../../../server/domain/clock.ts';
import { createLogger } from '../../../server/logger.ts';
import { type RunningServer, startServer } from '../../../server/startServer.ts';
import { TEST_STORE, testDatabase } from '../../support/testServer.ts';
import { getDSPamPassword, invokeDSPamCheckout, newDSSessionHandshake, PsSession, prop } from './psModule.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-dvls-key-'));
const masterKey = randomBytes(32).toString('base64');
const clock = new ManualClock(Date.now());
let database: { url: string; drop(): Promise<void> } | undefined;
let server: RunningServer;

/** The same deployment again: same data directory or database, same master key. */
function start(): Promise<RunningServer> {
  return startServer({
    dataDir,
    databaseUrl: database?.url,
    host: '127.0.0.1',
    port: 0,
    demo: true,
    clock,
    sweepIntervalMs: 0,
    masterKeyEnv: masterKey,
    logger: createLogger({ level: 'silent' }),
  });
}

beforeAll(async () => {
  if (TEST_STORE === 'postgres') database = await testDatabase();
  server = await start();
});
afterAll(async () => {
  await server.close();
  await database?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function publicKeyOf(url: string) {
  const info = await fetch(`${url}/api/server-information`);
  return prop(((await info.json()) as any).data, 'publicKey');
}

async function storedPassword(credentialId: string): Promise<string> {
  const credential = await server.ctx.store.getCredential(credentialId);
  return server.ctx.secretBox.open(credential!.passwordSealed, credentialId);
}

/** Every byte the store keeps: the SQLite file and its write-ahead log, or the PostgreSQL rows. */
async function storeBytes(): Promise<string> {
  if (database) {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const tokens = await client.query('SELECT * FROM tokens');
      const meta = await client.query('SELECT * FROM server_meta');
      return JSON.stringify([tokens.rows, meta.rows]);
    } finally {
      await client.end();
    }
  }
  return ['coffre.db', 'coffre.db-wal']
    .map((name) => path.join(dataDir, name))
    .filter((file) => fs.existsSync(file))
    .map((file) => fs.readFileSync(file).toString('latin1'))
    .join('');
}

describe('the DVLS session key in the store', () => {
  it('survives a restart: the token’s passwords still come encrypted under its session key', async () => {
    const ps = new PsSession();
    await newDSSessionHandshake(ps, { baseUri: server.url, username: 'bob', password: DEMO_PASSWORD });
    const before = await publicKeyOf(server.url);
    const checkout = await invokeDSPamCheckout(ps, { pamCredentialId: DEMO_IDS.autoCredential });
    expect(prop(checkout.Body.CheckoutInfo, 'status')).toBe(4);

    await server.close();
    server = await start();
    ps.DSBaseURI = server.url;

    expect(await publicKeyOf(server.url)).toEqual(before);
    const onWire = await getDSPamPassword(ps, DEMO_IDS.autoCredential);
    expect(onWire.Body).toEqual({ data: expect.stringMatching(/^[0-9a-f]+$/), result: 1 });
    const decrypted = await getDSPamPassword(ps, DEMO_IDS.autoCredential, { decrypted: true });
    expect(decrypted.Body).toBe(await storedPassword(DEMO_IDS.autoCredential));
  });

  it('keeps no key in clear: the session key and the RSA private key are sealed', async () => {
    const ps = new PsSession();
    await newDSSessionHandshake(ps, { baseUri: server.url, username: 'kelly', password: DEMO_PASSWORD });
    const token = await server.ctx.store.getToken(hashToken(ps.DSSessionToken!));
    expect(token?.sessionKeySealed).toMatch(/^v1\./);
    const stored = await storeBytes();
    const key = ps.DSSessionKey!;
    expect(stored).not.toContain(key);
    expect(stored).not.toContain(key.toUpperCase());
    expect(stored).not.toContain(Buffer.from(key, 'hex').toString('latin1'));
    expect(stored).not.toContain('PRIVATE KEY');
  });

  it('a sealed key moved onto another token’s row does not open there', async () => {
    const bob = new PsSession();
    const kelly = new PsSession();
    await newDSSessionHandshake(bob, { baseUri: server.url, username: 'bob', password: DEMO_PASSWORD });
    await newDSSessionHandshake(kelly, { baseUri: server.url, username: 'kelly', password: DEMO_PASSWORD });
    const bobToken = await server.ctx.store.getToken(hashToken(bob.DSSessionToken!));
    expect(() =>
      server.ctx.secretBox.open(
        bobToken!.sessionKeySealed!,
        `dvls-session-key:${hashToken(kelly.DSSessionToken!)}`,
      ),
    ).toThrow();
  });

  it('a plain-password sign-in stores no session key', async () => {
    const answer = await fetch(`${server.url}/api/login/partial`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userName: 'bob', LoginParameters: { Password: DEMO_PASSWORD } }),
    });
    const tokenId = ((await answer.json()) as any).data.tokenId as string;
    expect((await server.ctx.store.getToken(hashToken(tokenId)))?.sessionKeySealed).toBeNull();
  });
});
