/** An open event stream, as the registry knows it. */
export interface OpenStream {
  tokenHash: string;
  userId: string;
  /** Ends the stream (idempotent). */
  close(): void;
}

/**
 * The event streams open on this node, by session, so that ending a session ends its streams at
 * once: logout, revocation of a user's tokens (password or rights changed, user disabled).
 * Expiry and revocations made on another node are caught by the stream itself, which checks its
 * token again before each event and at each heartbeat (server/http/routes/eventRoutes.ts).
 */
export class SessionStreams {
  private readonly byToken = new Map<string, OpenStream[]>();
  private readonly maxPerToken: number;

  constructor(maxPerToken = 4) {
    this.maxPerToken = maxPerToken;
  }

  /**
   * Registers a stream; beyond `maxPerToken` for one session the oldest is closed (a client that
   * reconnects often leaves half-closed streams the server has not noticed yet). Returns the
   * function that forgets the stream when it ends.
   */
  open(stream: OpenStream): () => void {
    const list = this.byToken.get(stream.tokenHash) ?? [];
    list.push(stream);
    this.byToken.set(stream.tokenHash, list);
    while (list.length > this.maxPerToken) list.shift()!.close();
    return () => this.forget(stream);
  }

  closeToken(tokenHash: string): void {
    for (const stream of [...(this.byToken.get(tokenHash) ?? [])]) stream.close();
    this.byToken.delete(tokenHash);
  }

  closeUser(userId: string): void {
    for (const [tokenHash, list] of this.byToken) {
      if (list[0]?.userId === userId) this.closeToken(tokenHash);
    }
  }

  count(): number {
    let count = 0;
    for (const list of this.byToken.values()) count += list.length;
    return count;
  }

  private forget(stream: OpenStream): void {
    const list = this.byToken.get(stream.tokenHash);
    if (!list) return;
    const index = list.indexOf(stream);
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) this.byToken.delete(stream.tokenHash);
  }
}
