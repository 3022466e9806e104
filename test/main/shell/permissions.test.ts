import { describe, expect, it } from 'vitest';
import {
  ALLOWED_PERMISSIONS,
  isPermissionAllowed,
  type PermissionName,
} from '../../../main/shell/permissions.ts';

// Every permission Electron 45's handlers can be asked about (electron.d.ts).
const ALL_PERMISSIONS: PermissionName[] = [
  'ar',
  'automatic-fullscreen',
  'background-fetch',
  'background-sync',
  'captured-surface-control',
  'clipboard-read',
  'clipboard-sanitized-write',
  'deprecated-sync-clipboard-read',
  'display-capture',
  'fileSystem',
  'fullscreen',
  'geolocation',
  'geolocation-approximate',
  'hand-tracking',
  'hid',
  'idle-detection',
  'keyboardLock',
  'local-fonts',
  'local-network',
  'local-network-access',
  'loopback-network',
  'media',
  'mediaKeySystem',
  'midi',
  'midiSysex',
  'nfc',
  'notifications',
  'openExternal',
  'payment-handler',
  'periodic-background-sync',
  'persistent-storage',
  'pointerLock',
  'screen-wake-lock',
  'sensors',
  'serial',
  'smart-card',
  'speaker-selection',
  'storage-access',
  'system-wake-lock',
  'top-level-storage-access',
  'usb',
  'vr',
  'web-app-installation',
  'web-printing',
  'window-management',
  'unknown',
];

describe('permission table', () => {
  it('allows only sanitized clipboard writes', () => {
    expect([...ALLOWED_PERMISSIONS]).toEqual(['clipboard-sanitized-write']);
  });

  it('refuses every other permission, even to our own origin', () => {
    const granted = ALL_PERMISSIONS.filter((permission) =>
      isPermissionAllowed(permission, 'app://coffre/index.html'),
    );
    expect(granted).toEqual(['clipboard-sanitized-write']);
  });

  it.each([
    'clipboard-read',
    'notifications',
    'media',
    'geolocation',
    'openExternal',
    'hid',
    'usb',
    'serial',
  ])('refuses %s', (permission) => {
    expect(isPermissionAllowed(permission, 'app://coffre/index.html')).toBe(false);
  });

  it('refuses a permission name it does not know', () => {
    expect(isPermissionAllowed('some-future-permission', 'app://coffre/index.html')).toBe(false);
  });

  it('refuses even the allowed permission to any other origin', () => {
    for (const origin of [
      'https://evil.example',
      'file:///x.html',
      'http://localhost:5173',
      undefined,
      null,
      '',
    ]) {
      expect(isPermissionAllowed('clipboard-sanitized-write', origin)).toBe(false);
    }
  });

  it('accepts the bare origin a check handler receives', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://coffre')).toBe(true);
  });
});
