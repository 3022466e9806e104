/**
 * electron-builder.yml: valid against electron-builder's own JSON schema (the one it validates
 * with), and carrying the security settings ARCHITECTURE.md requires: the fuses, the asar with the
 * native addon unpacked, the coffre:// protocol, the targets.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const config = parse(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, any>;
const schema = JSON.parse(
  fs.readFileSync(require.resolve('app-builder-lib/scheme.json', { paths: [root] }), 'utf8'),
) as object;

function targetsOf(section: any): string[] {
  const target = section?.target;
  const list = Array.isArray(target) ? target : [target];
  return list.map((entry: any) => (typeof entry === 'string' ? entry : entry?.target));
}

describe('electron-builder.yml', () => {
  it('validates against app-builder-lib/scheme.json', () => {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects a config with an unknown key (the schema check is not vacuous)', () => {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    expect(validate({ ...config, electronFusez: {} })).toBe(false);
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNode: 'no' } })).toBe(false);
  });

  it('names the app', () => {
    expect(config.appId).toBe('com.coffre.desktop');
    expect(config.productName).toBe('Coffre');
  });

  it.each([
    ['runAsNode', false],
    ['enableNodeOptionsEnvironmentVariable', false],
    ['enableNodeCliInspectArguments', false],
    ['enableCookieEncryption', true],
    ['onlyLoadAppFromAsar', true],
    ['enableEmbeddedAsarIntegrityValidation', true],
  ])('sets the fuse %s to %s', (fuse, value) => {
    expect(config.electronFuses[fuse]).toBe(value);
  });

  it('does not grant file:// extra privileges (the app is served on app://)', () => {
    expect(config.electronFuses.grantFileProtocolExtraPrivileges).toBe(false);
  });

  it('packs into an asar with better-sqlite3’s native addon unpacked', () => {
    expect(config.asar).toBe(true);
    const unpack: string[] = Array.isArray(config.asarUnpack) ? config.asarUnpack : [config.asarUnpack];
    // better-sqlite3 13 keeps one prebuild per platform under prebuilds/.
    for (const addon of ['linux-x64', 'darwin-arm64', 'win32-x64']) {
      const file = `node_modules/better-sqlite3/prebuilds/${addon}.node`;
      expect(unpack.some((glob) => path.matchesGlob(file, glob))).toBe(true);
    }
    expect(unpack.some((glob) => path.matchesGlob('node_modules/better-sqlite3/lib/index.js', glob))).toBe(
      false,
    );
  });

  it('does not rebuild native modules (N-API prebuilds load in Electron as they are)', () => {
    expect(config.npmRebuild).toBe(false);
  });

  it('registers the coffre:// protocol', () => {
    const schemes = (config.protocols as Array<{ schemes: string[] }>).flatMap(
      (protocol) => protocol.schemes,
    );
    expect(schemes).toEqual(['coffre']);
  });

  it('targets NSIS, DMG, AppImage and deb', () => {
    expect(targetsOf(config.win)).toEqual(['nsis']);
    expect(targetsOf(config.mac)).toEqual(['dmg']);
    expect(targetsOf(config.linux).sort()).toEqual(['AppImage', 'deb']);
  });

  it('ships only the build output, and an icon that exists and is large enough', () => {
    expect(config.files).toContain('out/**/*');
    const icon = fs.readFileSync(path.join(root, config.icon));
    expect(icon.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(icon.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    expect(icon.readUInt32BE(20)).toBeGreaterThanOrEqual(512);
  });

  it('starts the app from the bundled main', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main?: string };
    expect(pkg.main).toBe('out/main/index.js');
  });
});
