import { SEARCH_FOLD_VERSION } from './foldText.ts';
import type { IndexEntry } from './searchIndex.ts';

const FORMAT = 1;

/**
 * The whole search index as one value, in name order, so that opening decrypts one blob instead
 * of one value per credential (~1 s at 100 000 credentials, almost all of it in Node's per-call
 * cipher setup). Layout: a header, the vault ids, per-entry columns (rid, digest, vault ordinal,
 * id length, text length), then all ids and all texts, each as one UTF-8 run.
 *
 * The texts run, decoded, is exactly the joined string the index scans, so it is handed over as
 * such and the first query does not have to build it.
 */
export function encodeIndexSnapshot(entries: readonly IndexEntry[]): Buffer {
  const vaultOrdinals = new Map<string, number>();
  for (const entry of entries) {
    if (!vaultOrdinals.has(entry.vaultId)) vaultOrdinals.set(entry.vaultId, vaultOrdinals.size);
  }
  const vaults = [...vaultOrdinals.keys()].map((id) => Buffer.from(id, 'utf8'));
  const ids = Buffer.from(entries.map((entry) => entry.id).join(''), 'utf8');
  const texts = Buffer.from(entries.map((entry) => entry.text).join(''), 'utf8');
  const n = entries.length;
  const size =
    10 +
    vaults.reduce((sum, vault) => sum + 4 + vault.length, 0) +
    n * (8 + 8 + 4 + 4 + 4) +
    8 +
    ids.length +
    texts.length;
  const out = Buffer.alloc(size);
  let at = out.writeUInt8(FORMAT, 0);
  at = out.writeUInt8(SEARCH_FOLD_VERSION, at);
  at = out.writeUInt32LE(n, at);
  at = out.writeUInt32LE(vaults.length, at);
  for (const vault of vaults) {
    at = out.writeUInt32LE(vault.length, at);
    at += vault.copy(out, at);
  }
  for (const entry of entries) at = out.writeDoubleLE(entry.rid, at);
  for (const entry of entries) at = out.writeDoubleLE(entry.digest, at);
  for (const entry of entries) at = out.writeUInt32LE(vaultOrdinals.get(entry.vaultId)!, at);
  for (const entry of entries) at = out.writeUInt32LE(entry.id.length, at);
  for (const entry of entries) at = out.writeUInt32LE(entry.text.length, at);
  at = out.writeUInt32LE(ids.length, at);
  at += ids.copy(out, at);
  at = out.writeUInt32LE(texts.length, at);
  texts.copy(out, at);
  return out;
}

/** Null if the snapshot is from another format or folding, or is malformed. */
export function decodeIndexSnapshot(plain: Buffer): { entries: IndexEntry[]; joinedTexts: string } | null {
  try {
    if (plain.readUInt8(0) !== FORMAT || plain.readUInt8(1) !== SEARCH_FOLD_VERSION) return null;
    const n = plain.readUInt32LE(2);
    const vaultCount = plain.readUInt32LE(6);
    let at = 10;
    const vaults: string[] = [];
    for (let v = 0; v < vaultCount; v++) {
      const length = plain.readUInt32LE(at);
      vaults.push(plain.toString('utf8', at + 4, at + 4 + length));
      at += 4 + length;
    }
    const rids = at;
    const digests = rids + 8 * n;
    const ordinals = digests + 8 * n;
    const idLengths = ordinals + 4 * n;
    const textLengths = idLengths + 4 * n;
    at = textLengths + 4 * n;
    const idBytes = plain.readUInt32LE(at);
    const ids = plain.toString('utf8', at + 4, at + 4 + idBytes);
    at += 4 + idBytes;
    const textBytes = plain.readUInt32LE(at);
    if (at + 4 + textBytes !== plain.length) return null;
    const joinedTexts = plain.toString('utf8', at + 4, at + 4 + textBytes);
    const entries = new Array<IndexEntry>(n);
    let idAt = 0;
    let textAt = 0;
    for (let k = 0; k < n; k++) {
      const idLength = plain.readUInt32LE(idLengths + 4 * k);
      const textLength = plain.readUInt32LE(textLengths + 4 * k);
      const vaultId = vaults[plain.readUInt32LE(ordinals + 4 * k)];
      if (vaultId === undefined) return null;
      entries[k] = {
        id: ids.slice(idAt, idAt + idLength),
        rid: plain.readDoubleLE(rids + 8 * k),
        vaultId,
        digest: plain.readDoubleLE(digests + 8 * k),
        text: joinedTexts.slice(textAt, textAt + textLength),
      };
      idAt += idLength;
      textAt += textLength;
    }
    if (idAt !== ids.length || textAt !== joinedTexts.length) return null;
    return { entries, joinedTexts };
  } catch {
    // A read past the end: malformed.
    return null;
  }
}
