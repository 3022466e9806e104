// @vitest-environment jsdom
/** Issue 15, item 6: what a user sees depends on who they are — Approvals only for approvers. */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initI18n } from '../../renderer/src/i18n/index.ts';
import { AppFrame } from '../../renderer/src/screens/AppFrame.tsx';
import * as navigation from '../../renderer/src/stores/navigation.ts';
import * as session from '../../renderer/src/stores/session.ts';
import { BOB, sessionState } from './support/factories.ts';
import { installFakeCoffre, removeFakeCoffre } from './support/fakeCoffre.ts';

beforeAll(() => {
  initI18n('en');
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
});
beforeEach(() => {
  session.actions.reset();
  navigation.actions.reset();
  installFakeCoffre({});
});
afterEach(() => {
  cleanup();
  removeFakeCoffre();
});

describe('navigation by role', () => {
  it('a user who approves nothing has no Approvals page, nor its shortcut', () => {
    session.useSessionStore.setState({ session: sessionState({ user: { ...BOB, roles: ['user'] } }) });
    render(createElement(AppFrame));
    expect(screen.queryByTestId('nav-approvals')).toBeNull();
    expect(screen.getByTestId('nav-history')).toBeTruthy();
    fireEvent.keyDown(document.body, { key: '3', ctrlKey: true });
    expect(navigation.useNavigationStore.getState().route).not.toBe('approvals');
  });

  it('an approver has it', () => {
    session.useSessionStore.setState({
      session: sessionState({ user: { ...BOB, roles: ['user', 'approver'] } }),
    });
    render(createElement(AppFrame));
    expect(screen.getByTestId('nav-approvals')).toBeTruthy();
    fireEvent.keyDown(document.body, { key: '3', ctrlKey: true });
    expect(navigation.useNavigationStore.getState().route).toBe('approvals');
  });
});
