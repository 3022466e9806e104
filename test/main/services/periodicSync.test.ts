import { describe, expect, it } from 'vitest';
import type { CredentialCache } from '../../../main/cache/credentialCache.ts';
import type { ServerCaller } from '../../../main/services/serverCalls.ts';
import type { SessionService } from '../../../main/services/sessionService.ts';
import { PERIODIC_SYNC_MS, SyncService } from '../../../main/services/syncService.ts';
import { fakeTime, RecordingSink, settle } from '../../support/fakes.ts';

/** A SyncService whose `sync` the test finishes by hand, to see the schedule around it. */
function setUp() {
  const { clock, timers } = fakeTime();
  const service = new SyncService({
    cache: {} as CredentialCache,
    events: new RecordingSink(),
    clock,
    timers,
    session: {} as SessionService,
    callServer: (async () => undefined) as unknown as ServerCaller,
  });
  const runs: Array<{ finish: () => void; fail: (error: Error) => void }> = [];
  service.sync = () =>
    new Promise((resolve, reject) => {
      runs.push({ finish: () => resolve({ count: 0 }), fail: reject });
    });
  const failures: unknown[] = [];
  return { clock, timers, service, runs, failures, start: () => service.start((e) => failures.push(e)) };
}

describe('SyncService periodic sync', () => {
  it('syncs every PERIODIC_SYNC_MS once started, the next one counted from the end of the last', async () => {
    const { clock, timers, runs, start } = setUp();
    start();
    clock.advance(PERIODIC_SYNC_MS - 1);
    expect(runs).toHaveLength(0);
    clock.advance(1);
    expect(runs).toHaveLength(1);
    expect(timers.pending()).toBe(0);
    runs[0]?.finish();
    await settle();
    expect(timers.nextDelay()).toBe(PERIODIC_SYNC_MS);
    clock.advance(PERIODIC_SYNC_MS);
    expect(runs).toHaveLength(2);
  });

  it('reports a failed sync and still schedules the next', async () => {
    const { clock, timers, runs, failures, start } = setUp();
    start();
    clock.advance(PERIODIC_SYNC_MS);
    runs[0]?.fail(new Error('offline'));
    await settle();
    expect(failures).toEqual([new Error('offline')]);
    expect(timers.pending()).toBe(1);
  });

  it('stops for good, even when stopped while a periodic sync runs', async () => {
    const { clock, timers, service, runs, start } = setUp();
    start();
    clock.advance(PERIODIC_SYNC_MS);
    service.stop();
    runs[0]?.finish();
    await settle();
    expect(timers.pending()).toBe(0);
    start();
    service.stop();
    expect(timers.pending()).toBe(0);
  });

  it('starting again replaces the schedule instead of adding a second one', () => {
    const { timers, start } = setUp();
    start();
    start();
    expect(timers.pending()).toBe(1);
  });
});
