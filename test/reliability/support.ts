import { randomInt } from 'node:crypto';
import { type ApiResponse, apiRequest } from '../support/testServer.ts';

export { seededRandom } from '../support/seededRandom.ts';

/** The seed of this run: RELIABILITY_SEED when set (to replay a run), otherwise a fresh one. */
export function runSeed(name: string): number {
  const fromEnv = process.env.RELIABILITY_SEED;
  const seed = fromEnv ? Number(fromEnv) >>> 0 : randomInt(1, 2 ** 31);
  console.log(`[${name}] seed ${seed} (replay with RELIABILITY_SEED=${seed})`);
  return seed;
}

export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** An integer in [min, max]. */
export function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export interface Client {
  username: string;
  userId: string;
  token: string;
  request(method: string, url: string, body?: unknown): Promise<ApiResponse>;
}

export function clientOf(baseUrl: string, username: string, userId: string, token: string): Client {
  return {
    username,
    userId,
    token,
    request: (method, url, body) => apiRequest(baseUrl, method, url, body, { tokenId: token }),
  };
}

export async function login(baseUrl: string, username: string, password: string): Promise<Client> {
  const response = await apiRequest(baseUrl, 'POST', '/api/auth/login', { username, password });
  if (response.status !== 200) throw new Error(`login ${username}: ${response.status} ${response.text}`);
  return clientOf(baseUrl, username, response.body.user.id, response.body.tokenId);
}

/** Runs `work` over `items` with at most `width` at a time (argon2 hashing is the slow part). */
export async function inBatches<T, R>(
  items: readonly T[],
  width: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  });
  await Promise.all(lanes);
  return results;
}

/**
 * Creates `count` users (role user) through the admin API and signs each one in. Usernames are
 * `${prefix}${i}`; every user's password is USER_PASSWORD.
 */
export const USER_PASSWORD = 'reliability-password-1';

export async function createUsers(
  baseUrl: string,
  admin: Client,
  prefix: string,
  count: number,
): Promise<Client[]> {
  return inBatches(
    Array.from({ length: count }, (_, i) => `${prefix}${i}`),
    16,
    async (username) => {
      const created = await admin.request('POST', '/api/admin/users', {
        username,
        password: USER_PASSWORD,
        roles: ['user'],
      });
      if (created.status !== 201) throw new Error(`create ${username}: ${created.status} ${created.text}`);
      return login(baseUrl, username, USER_PASSWORD);
    },
  );
}

/** Every audit row, page by page, through the admin API (bounded: at most `maxPages` pages). */
export async function allAuditRows(admin: Client, query = '', maxPages = 200): Promise<any[]> {
  const rows: any[] = [];
  for (let page = 0; page < maxPages; page++) {
    const separator = query ? '&' : '';
    const response = await admin.request(
      'GET',
      `/api/pam/audit?${query}${separator}limit=1000&offset=${page * 1000}`,
    );
    if (response.status !== 200) throw new Error(`audit: ${response.status} ${response.text}`);
    rows.push(...response.body);
    if (response.body.length < 1000) return rows;
  }
  throw new Error(`audit: more than ${maxPages} pages`);
}

export interface SseMessage {
  id: number;
  event: string;
  data: any;
}

/**
 * Opens `/api/events` with Last-Event-ID and reads until `enough(messages)` holds, or fails after
 * `timeoutMs` with what it got. The stream is closed either way.
 */
export async function readEvents(
  baseUrl: string,
  token: string,
  lastEventId: number,
  enough: (messages: SseMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<SseMessage[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const messages: SseMessage[] = [];
  try {
    const response = await fetch(`${baseUrl}/api/events`, {
      headers: { tokenId: token, 'last-event-id': String(lastEventId) },
      signal: controller.signal,
    });
    if (response.status !== 200) throw new Error(`events: ${response.status} ${await response.text()}`);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    while (!enough(messages)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of block.split('\n')) {
          const colon = line.indexOf(':');
          if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
        }
        if (fields.has('event') && fields.has('data')) {
          messages.push({
            id: Number(fields.get('id')),
            event: fields.get('event')!,
            data: JSON.parse(fields.get('data')!),
          });
        }
      }
    }
    return messages;
  } catch (error) {
    if (controller.signal.aborted) {
      throw new Error(`events: gave up after ${timeoutMs} ms with ${JSON.stringify(messages)}`);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
