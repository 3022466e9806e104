/**
 * The clipboard port over Electron's clipboard (Electron 45: the W3C-shaped, promise-based API).
 *
 * A concealed write puts the text and the platform's "this is a password" markers on the clipboard
 * in one atomic `clipboard.write([item])`, so clipboard managers and history never record it:
 *   - Windows: `ExcludeClipboardContentFromMonitorProcessing` (clipboard monitors skip it), and
 *     `CanIncludeInClipboardHistory` = 0 / `CanUploadToCloudClipboard` = 0 (Win+V history, cloud sync);
 *   - macOS: `org.nspasteboard.ConcealedType` (the nspasteboard.org convention: Maccy, Paste,
 *     Alfred, Raycast, … skip it);
 *   - Linux: `x-kde-passwordManagerHint` = `secret` (KDE Klipper; GPaste honours it too). Other
 *     Linux clipboard managers have no convention and may record the password: the timed clear is
 *     then the only protection.
 * Raw OS formats go through Electron's `electron application/osclipboard;format="…"` custom format.
 */
import type { Clipboard, ClipboardItem } from 'electron';

/** What the shell's clipboard does; the promise-based shape Electron 45's clipboard imposes. */
export interface ConcealingClipboardPort {
  writeText(text: string, options: { concealed: boolean }): Promise<void>;
  readText(): Promise<string>;
  clear(): Promise<void>;
}

export function osClipboardFormat(name: string): string {
  return `electron application/osclipboard;format="${name}"`;
}

const DWORD_ZERO = new Uint8Array(4);

/** The raw formats that mark a write as a password on `platform` (empty where none exists). */
export function concealmentFormats(platform: NodeJS.Platform): Record<string, Uint8Array> {
  switch (platform) {
    case 'win32':
      return {
        [osClipboardFormat('ExcludeClipboardContentFromMonitorProcessing')]: DWORD_ZERO,
        [osClipboardFormat('CanIncludeInClipboardHistory')]: DWORD_ZERO,
        [osClipboardFormat('CanUploadToCloudClipboard')]: DWORD_ZERO,
      };
    case 'darwin':
      return { [osClipboardFormat('org.nspasteboard.ConcealedType')]: new Uint8Array(0) };
    case 'linux':
    case 'freebsd':
    case 'openbsd':
      return { [osClipboardFormat('x-kde-passwordManagerHint')]: new TextEncoder().encode('secret') };
    default:
      return {};
  }
}

/** The MIME → payload map of the one ClipboardItem a write puts on the clipboard. */
export function clipboardItemData(
  text: string,
  concealed: boolean,
  platform: NodeJS.Platform,
): Record<string, string | Uint8Array> {
  return { 'text/plain': text, ...(concealed ? concealmentFormats(platform) : {}) };
}

export interface ElectronClipboardDeps {
  clipboard: Clipboard;
  ClipboardItem: typeof ClipboardItem;
  platform: NodeJS.Platform;
}

export function createClipboardPort(deps: ElectronClipboardDeps): ConcealingClipboardPort {
  const { clipboard } = deps;
  return {
    async writeText(text, options) {
      const data = clipboardItemData(text, options.concealed, deps.platform);
      const item: Record<string, string | Blob> = {};
      for (const [type, payload] of Object.entries(data)) {
        item[type] = typeof payload === 'string' ? payload : new Blob([payload]);
      }
      await clipboard.write([new deps.ClipboardItem(item)]);
    },
    readText: () => clipboard.readText(),
    async clear() {
      clipboard.clear();
    },
  };
}
