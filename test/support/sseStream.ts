import { expect } from 'vitest';

export interface SseMessage {
  id: number;
  event: string;
  data: any;
}

/** A minimal SSE reader over fetch: enough to see exactly what the server writes. */
export async function openSseStream(baseUrl: string, token: string, lastEventId?: number) {
  const controller = new AbortController();
  const headers: Record<string, string> = { tokenId: token };
  if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
  const response = await fetch(`${baseUrl}/api/events`, { headers, signal: controller.signal });
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const messages: SseMessage[] = [];
  const waiters: Array<() => void> = [];
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((line) => line && !line.startsWith(':'))
              .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)] as const),
          );
          if (fields.event && fields.data) {
            messages.push({ id: Number(fields.id), event: fields.event, data: JSON.parse(fields.data) });
            for (const wake of waiters.splice(0)) wake();
          }
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    messages,
    async waitFor(count: number): Promise<SseMessage[]> {
      while (messages.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      return messages;
    },
    close: () => controller.abort(),
  };
}
