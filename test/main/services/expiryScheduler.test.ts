import { beforeEach, describe, expect, it } from 'vitest';
import { type Checkout, CheckoutStatus } from '../../../common/checkout.ts';
import {
  type ExpiryMessages,
  ExpiryScheduler,
  type ExpirySchedulerDeps,
  notificationIdFor,
} from '../../../main/services/expiryScheduler.ts';
import { EXPIRY_MESSAGES_EN } from '../../../main/services/i18n/en.ts';
import { EXPIRY_MESSAGES_FR } from '../../../main/services/i18n/fr.ts';
import {
  type FakeClock,
  FakeNotifier,
  type FakeTimers,
  fakeTime,
  RecordingSink,
} from '../../support/fakes.ts';

const MINUTE = 60_000;
const START = '2025-06-02T09:00:00Z';
const ID_A = 'aaaaaaaa-0000-4000-8000-000000000001';
const ID_B = 'bbbbbbbb-0000-4000-8000-000000000002';

function checkout(overrides: Partial<Checkout> = {}): Checkout {
  return {
    id: ID_A,
    userID: '00000000-0000-4000-8000-0000000000aa',
    username: 'alice',
    credentialID: 'cccccccc-0000-4000-8000-000000000001',
    credentialName: 'prod-db root',
    approverID: null,
    approverName: null,
    reason: 'incident 42',
    approverMessage: '',
    status: CheckoutStatus.Active,
    duration: 60,
    requestDateTime: '2025-06-02T08:00:00Z',
    scheduledStart: null,
    checkoutDateTime: '2025-06-02T08:00:00Z',
    checkInDateTime: null,
    expiresAt: '2025-06-02T10:00:00Z',
    ...overrides,
  };
}

/** HH:MM in UTC, so the texts do not depend on the machine's time zone. */
const formatTime = (epochMs: number) => new Date(epochMs).toISOString().slice(11, 16);

let clock: FakeClock;
let timers: FakeTimers;
let notifier: FakeNotifier;
let events: RecordingSink;
let extendRequests: string[];
let opened: string[];
let expired: Checkout[];
let scheduler: ExpiryScheduler;

function build(overrides: Partial<ExpirySchedulerDeps> = {}): ExpiryScheduler {
  return new ExpiryScheduler({
    notifier,
    clock,
    timers,
    events,
    messages: EXPIRY_MESSAGES_EN,
    formatTime,
    onExtendRequested: (id) => extendRequests.push(id),
    onExpired: (c) => expired.push(c),
    onOpen: (id) => opened.push(id),
    ...overrides,
  });
}

beforeEach(() => {
  ({ clock, timers } = fakeTime(START));
  notifier = new FakeNotifier();
  events = new RecordingSink();
  extendRequests = [];
  opened = [];
  expired = [];
  scheduler = build();
});

/** Advances to the given UTC wall time (time passing normally). */
function advanceTo(iso: string): void {
  clock.advance(Date.parse(iso) - clock.now());
}

describe('ExpiryScheduler warning', () => {
  it('warns once, five minutes before expiresAt, with an Extend action', () => {
    scheduler.track([checkout()]);

    advanceTo('2025-06-02T09:54:59.999Z');
    expect(notifier.shown).toEqual([]);

    clock.advance(1);
    expect(notifier.shown).toHaveLength(1);
    const shown = notifier.last(notificationIdFor(ID_A));
    expect(shown.title).toBe('prod-db root expires at 10:00');
    expect(shown.body).toBe(EXPIRY_MESSAGES_EN.expiringBody('prod-db root', '10:00'));
    expect(shown.actions).toEqual([{ id: 'extend', label: 'Extend' }]);
    expect(events.events).toEqual([
      {
        type: 'expiry.warning',
        checkoutId: ID_A,
        credentialName: 'prod-db root',
        expiresAt: '2025-06-02T10:00:00.000Z',
      },
    ]);

    clock.advance(4 * MINUTE);
    expect(notifier.shown).toHaveLength(1);
    expect(events.ofType('expiry.warning')).toHaveLength(1);
  });

  it('the Extend action asks for an extension; a click on the body opens the checkout', () => {
    scheduler.track([checkout()]);
    advanceTo('2025-06-02T09:55:00Z');

    notifier.click(notificationIdFor(ID_A), 'extend');
    expect(extendRequests).toEqual([ID_A]);
    expect(opened).toEqual([]);

    notifier.click(notificationIdFor(ID_A));
    expect(opened).toEqual([ID_A]);
    expect(extendRequests).toEqual([ID_A]);
  });

  it('warns at once when first tracked inside the warning window', () => {
    clock.jump(57 * MINUTE);
    scheduler.track([checkout()]);

    expect(notifier.titles()).toEqual(['prod-db root expires at 10:00']);
    expect(expired).toEqual([]);
  });

  it('watches only Active checkouts with an expiry', () => {
    scheduler.track([
      checkout({ id: ID_A, status: CheckoutStatus.Pending }),
      checkout({ id: ID_B, status: CheckoutStatus.Granted }),
      checkout({
        id: 'dddddddd-0000-4000-8000-000000000003',
        status: CheckoutStatus.Active,
        expiresAt: null,
      }),
      checkout({ id: 'eeeeeeee-0000-4000-8000-000000000004', status: CheckoutStatus.Ended }),
    ]);

    expect(scheduler.trackedIds()).toEqual([]);
    expect(timers.pending()).toBe(0);
    clock.advance(2 * 3600_000);
    expect(notifier.shown).toEqual([]);
    expect(expired).toEqual([]);
  });

  it('handles several checkouts, each at its own time', () => {
    scheduler.track([
      checkout({ id: ID_A }),
      checkout({ id: ID_B, credentialName: 'web-01 admin', expiresAt: '2025-06-02T09:30:00Z' }),
    ]);

    advanceTo('2025-06-02T09:25:00Z');
    expect(notifier.titles()).toEqual(['web-01 admin expires at 09:30']);
    advanceTo('2025-06-02T09:30:00Z');
    expect(notifier.titles()).toEqual(['web-01 admin expires at 09:30', 'web-01 admin has expired']);
    advanceTo('2025-06-02T10:00:00Z');
    expect(notifier.titles()).toEqual([
      'web-01 admin expires at 09:30',
      'web-01 admin has expired',
      'prod-db root expires at 10:00',
      'prod-db root has expired',
    ]);
    expect(expired.map((c) => c.id)).toEqual([ID_B, ID_A]);
  });
});

describe('ExpiryScheduler expiry', () => {
  it('tells the user and the app once, at expiresAt, then stops', () => {
    const active = checkout();
    scheduler.track([active]);
    advanceTo('2025-06-02T09:59:59.999Z');
    expect(expired).toEqual([]);

    clock.advance(1);
    expect(expired).toEqual([active]);
    const shown = notifier.last(notificationIdFor(ID_A));
    expect(shown.title).toBe('prod-db root has expired');
    expect(shown.actions).toBeUndefined();
    expect(timers.pending()).toBe(0);

    clock.advance(3600_000);
    expect(expired).toHaveLength(1);
    expect(notifier.shown).toHaveLength(2);
  });

  it('a refresh that still lists the checkout as Active (server lag) does not notify again', () => {
    scheduler.track([checkout()]);
    advanceTo('2025-06-02T10:00:00Z');
    scheduler.track([checkout()]);
    scheduler.recheck();

    expect(expired).toHaveLength(1);
    expect(notifier.shown).toHaveLength(2);
  });

  it('onExpired may re-track synchronously without a double notice or a second timer', () => {
    const other = checkout({ id: ID_B, expiresAt: '2025-06-02T11:00:00Z' });
    scheduler = build({
      onExpired: (c) => {
        expired.push(c);
        scheduler.track([checkout(), other]);
      },
    });
    scheduler.track([checkout(), other]);

    advanceTo('2025-06-02T10:00:00Z');

    expect(expired.map((c) => c.id)).toEqual([ID_A]);
    expect(timers.pending()).toBe(1);
  });

  it('a checkout dropped by a re-track from onExpired is not warned about in the same wake-up', () => {
    const soon = checkout({ id: ID_B, credentialName: 'web-01 admin', expiresAt: '2025-06-02T10:03:00Z' });
    scheduler = build({
      onExpired: (c) => {
        expired.push(c);
        scheduler.track([]); // the refresh says neither is active any more (B was checked in)
      },
    });
    scheduler.track([checkout({ id: ID_A }), soon]);
    clock.jump(60 * MINUTE); // 10:00: A is due to expire, B to be warned about

    scheduler.recheck();

    expect(expired.map((c) => c.id)).toEqual([ID_A]);
    expect(notifier.titles()).toEqual(['prod-db root has expired']);
  });

  it('a checkout that expired before a refresh dropped it is still reported, once', () => {
    scheduler.track([checkout()]);
    clock.jump(2 * 3600_000); // slept; the app refreshes before the shell calls recheck

    scheduler.track([]);
    scheduler.recheck();

    expect(expired.map((c) => c.id)).toEqual([ID_A]);
    expect(notifier.titles()).toEqual(['prod-db root has expired']);
  });

  it('a checkout checked in before its expiry is forgotten silently', () => {
    scheduler.track([checkout()]);
    clock.advance(10 * MINUTE);
    scheduler.track([]);
    clock.advance(3600_000);

    expect(expired).toEqual([]);
    expect(notifier.shown).toEqual([]);
  });
});

describe('ExpiryScheduler and the clock', () => {
  it('recheck after a sleep fires the warning that was skipped, once', () => {
    scheduler.track([checkout()]);
    clock.advance(10 * MINUTE);
    clock.jump(47 * MINUTE); // suspended: now 09:57, no timer fired

    expect(notifier.shown).toEqual([]);
    scheduler.recheck();
    scheduler.recheck();

    expect(notifier.titles()).toEqual(['prod-db root expires at 10:00']);
    expect(events.ofType('expiry.warning')).toHaveLength(1);
  });

  it('a sleep past expiresAt gives the expiry notice only (no stale warning)', () => {
    scheduler.track([checkout()]);
    clock.jump(2 * 3600_000);
    scheduler.recheck();

    expect(notifier.titles()).toEqual(['prod-db root has expired']);
    expect(events.ofType('expiry.warning')).toEqual([]);
    expect(expired).toHaveLength(1);
  });

  it('a timer wake-up re-reads the wall clock, so a sleep is caught even without recheck', () => {
    scheduler.track([checkout({ expiresAt: '2025-06-03T09:00:00Z' })]); // a day away
    expect(timers.nextDelay()).toBeLessThanOrEqual(MINUTE);

    clock.jump(24 * 3600_000);
    clock.advance(MINUTE);

    expect(notifier.titles()).toEqual(['prod-db root has expired']);
  });

  it('does not warn early when the wall clock is set back', () => {
    scheduler.track([checkout()]);
    clock.jump(-3600_000); // now 08:00 by the wall clock

    clock.advance(56 * MINUTE); // the timer set for 09:55 has long fired
    expect(notifier.shown).toEqual([]);

    advanceTo('2025-06-02T09:55:00Z');
    expect(notifier.titles()).toEqual(['prod-db root expires at 10:00']);
  });

  it('a clock jumping back after the warning or the expiry does not notify twice', () => {
    scheduler.track([checkout()]);
    advanceTo('2025-06-02T09:56:00Z');
    expect(notifier.shown).toHaveLength(1);

    clock.jump(-10 * MINUTE); // 09:46
    scheduler.recheck();
    advanceTo('2025-06-02T09:58:00Z');
    expect(notifier.shown).toHaveLength(1);

    advanceTo('2025-06-02T10:00:00Z');
    clock.jump(-30 * MINUTE);
    scheduler.recheck();
    advanceTo('2025-06-02T10:01:00Z');

    expect(notifier.titles()).toEqual(['prod-db root expires at 10:00', 'prod-db root has expired']);
    expect(expired).toHaveLength(1);
    expect(events.ofType('expiry.warning')).toHaveLength(1);
  });
});

describe('ExpiryScheduler.track', () => {
  it('an extension (new expiresAt) re-arms the warning and withdraws the stale one', () => {
    scheduler.track([checkout()]);
    advanceTo('2025-06-02T09:56:00Z');
    expect(notifier.shown).toHaveLength(1);

    scheduler.track([checkout({ expiresAt: '2025-06-02T10:30:00Z' })]);
    expect(notifier.closed).toEqual([notificationIdFor(ID_A)]);

    advanceTo('2025-06-02T10:00:00Z');
    expect(expired).toEqual([]);
    advanceTo('2025-06-02T10:25:00Z');
    expect(notifier.titles()).toEqual(['prod-db root expires at 10:00', 'prod-db root expires at 10:30']);
    advanceTo('2025-06-02T10:30:00Z');
    expect(expired.map((c) => c.expiresAt)).toEqual(['2025-06-02T10:30:00Z']);
  });

  it('tracking the same checkout again (a refresh) does not warn again', () => {
    scheduler.track([checkout()]);
    advanceTo('2025-06-02T09:56:00Z');
    scheduler.track([checkout({ reason: 'refreshed' })]);
    scheduler.track([checkout()]);

    expect(notifier.shown).toHaveLength(1);
    expect(timers.pending()).toBe(1);
  });

  it('a checkout no longer listed (checked in) is forgotten and its warning withdrawn', () => {
    scheduler.track([checkout({ id: ID_A }), checkout({ id: ID_B, expiresAt: '2025-06-02T12:00:00Z' })]);
    advanceTo('2025-06-02T09:56:00Z');

    scheduler.track([checkout({ id: ID_B, expiresAt: '2025-06-02T12:00:00Z' })]);

    expect(notifier.closed).toEqual([notificationIdFor(ID_A)]);
    expect(scheduler.trackedIds()).toEqual([ID_B]);
    advanceTo('2025-06-02T10:30:00Z');
    expect(expired).toEqual([]);
  });

  it('tracking nothing (sign-out) cancels the timer', () => {
    scheduler.track([checkout()]);
    scheduler.track([]);

    expect(timers.pending()).toBe(0);
    clock.advance(2 * 3600_000);
    expect(notifier.shown).toEqual([]);
  });

  it('an expiry notice is not withdrawn when the expired checkout leaves the list', () => {
    scheduler.track([checkout()]);
    advanceTo('2025-06-02T10:00:00Z');
    scheduler.track([]);

    expect(notifier.closed).toEqual([]);
  });
});

describe('ExpiryScheduler messages', () => {
  it('speaks French with the French messages', () => {
    scheduler = build({
      messages: EXPIRY_MESSAGES_FR,
      formatTime: (ms) => formatTime(ms).replace(':', ' h '),
    });
    scheduler.track([checkout()]);
    advanceTo('2025-06-02T10:00:00Z');

    const [warning, expiry] = notifier.shown;
    expect(warning?.title).toBe('prod-db root expire à 10 h 00');
    expect(warning?.body).toBe('Prolongez l’extraction ou restituez-la avant cette heure.');
    expect(warning?.actions).toEqual([{ id: 'extend', label: 'Prolonger' }]);
    expect(expiry?.title).toBe('prod-db root a expiré');
    expect(expiry?.body).toContain('nouvelle demande');
  });

  it('reads a messages function at each notification (language changed meanwhile)', () => {
    let current: ExpiryMessages = EXPIRY_MESSAGES_EN;
    scheduler = build({ messages: () => current });
    scheduler.track([checkout()]);
    advanceTo('2025-06-02T09:55:00Z');
    current = EXPIRY_MESSAGES_FR;
    advanceTo('2025-06-02T10:00:00Z');

    expect(notifier.titles()).toEqual(['prod-db root expires at 10:00', 'prod-db root a expiré']);
  });

  it('every English and French message is filled in', () => {
    for (const messages of [EXPIRY_MESSAGES_EN, EXPIRY_MESSAGES_FR]) {
      expect(messages.expiringTitle('X', '10:00')).toMatch(/X.*10:00/);
      expect(messages.expiringBody('X', '10:00').length).toBeGreaterThan(10);
      expect(messages.expiredTitle('X')).toMatch(/X/);
      expect(messages.expiredBody('X').length).toBeGreaterThan(10);
      expect(messages.extendAction.length).toBeGreaterThan(3);
    }
    expect(EXPIRY_MESSAGES_FR.expiredTitle('X')).not.toBe(EXPIRY_MESSAGES_EN.expiredTitle('X'));
  });
});
