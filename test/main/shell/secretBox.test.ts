import { describe, expect, it } from 'vitest';
import { secretStorageState } from '../../../main/shell/secretBox.ts';

describe('secret storage state', () => {
  it('is unavailable when safeStorage cannot encrypt', () => {
    expect(secretStorageState(false, 'darwin', null)).toBe('unavailable');
    expect(secretStorageState(false, 'linux', 'gnome_libsecret')).toBe('unavailable');
  });

  it('is the OS keychain on macOS and Windows', () => {
    expect(secretStorageState(true, 'darwin', null)).toBe('os');
    expect(secretStorageState(true, 'win32', null)).toBe('os');
  });

  it('is the OS keyring on Linux with libsecret or kwallet', () => {
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'] as const) {
      expect(secretStorageState(true, 'linux', backend)).toBe('os');
    }
  });

  it('says basic_text on Linux without a keyring (a hard-coded key: not a secret)', () => {
    expect(secretStorageState(true, 'linux', 'basic_text')).toBe('basic_text');
    expect(secretStorageState(true, 'linux', 'unknown')).toBe('basic_text');
  });
});
