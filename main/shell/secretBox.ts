/**
 * The SecretBox port over Electron's safeStorage (macOS Keychain, Windows DPAPI, Linux
 * libsecret/kwallet). On Linux without a keyring safeStorage falls back to `basic_text`, a key
 * hard-coded in Chromium: it encrypts, but protects nothing, so the state says so and the session
 * service does not persist the token.
 *
 * safeStorage encrypts strings; the cache key is bytes, so it crosses as base64. The synchronous
 * calls are deprecated in favour of the async ones, but the port (and the cache opening on it) is
 * synchronous; both produce the same ciphertext format, so moving to the async API later needs no
 * data migration. safeStorage is usable only after the app is ready.
 */
import type { SafeStorage } from 'electron';
import type { SecretBoxPort } from '../../client/ports.ts';

export type SecretState = ReturnType<SecretBoxPort['state']>;
type LinuxBackend = ReturnType<SafeStorage['getSelectedStorageBackend']>;

export function secretStorageState(
  encryptionAvailable: boolean,
  platform: NodeJS.Platform,
  linuxBackend: LinuxBackend | null,
): SecretState {
  if (!encryptionAvailable) return 'unavailable';
  if (platform === 'linux' && (linuxBackend === 'basic_text' || linuxBackend === 'unknown'))
    return 'basic_text';
  return 'os';
}

export interface ElectronSecretBoxDeps {
  safeStorage: SafeStorage;
  platform: NodeJS.Platform;
}

export function createSecretBox(deps: ElectronSecretBoxDeps): SecretBoxPort {
  const { safeStorage } = deps;
  return {
    state() {
      const available = safeStorage.isEncryptionAvailable();
      const backend = deps.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null;
      return secretStorageState(available, deps.platform, backend);
    },
    encrypt(plain) {
      return safeStorage.encryptString(plain.toString('base64'));
    },
    decrypt(sealed) {
      return Buffer.from(safeStorage.decryptString(sealed), 'base64');
    },
  };
}
