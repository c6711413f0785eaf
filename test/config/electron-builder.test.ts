import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
// The JSON schema electron-builder itself ships: validated offline, no network.
const schema = require('app-builder-lib/scheme.json') as object;

function load(file: string): Record<string, unknown> {
  return parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

function validate(config: unknown) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const check = ajv.compile(schema);
  const valid = check(config);
  return { valid, errors: ajv.errorsText(check.errors) };
}

describe('electron-builder configuration', () => {
  it.each(['electron-builder.yml', 'electron-builder.test.yml'])(
    '%s matches the schema shipped in app-builder-lib',
    (file) => {
      const { valid, errors } = validate(load(file));
      expect(errors).toBe('No errors');
      expect(valid).toBe(true);
    },
  );

  it('rejects a configuration the schema forbids (the check can fail)', () => {
    expect(validate({ ...load('electron-builder.yml'), notAnOption: true }).valid).toBe(false);
  });

  it('builds AppImage and deb for Linux, NSIS for Windows, dmg for macOS', () => {
    const config = load('electron-builder.yml') as {
      linux: { target: string[] };
      win: { target: string[] };
      mac: { target: string[] };
    };
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('unpacks native addons from the asar archive', () => {
    const config = load('electron-builder.yml') as { asar: boolean; asarUnpack: string[] };
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['node_modules/keytar/**', 'node_modules/@serialport/bindings-cpp/**']),
    );
  });

  it('sets the fuses: no RunAsNode, app only from an integrity-checked asar, inspect only in test builds', () => {
    const release = load('electron-builder.yml')['electronFuses'] as Record<string, boolean>;
    const testBuild = load('electron-builder.test.yml')['electronFuses'] as Record<string, boolean>;
    expect(release).toMatchObject({
      runAsNode: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableNodeCliInspectArguments: false,
    });
    expect(testBuild).toMatchObject({
      runAsNode: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableNodeCliInspectArguments: true,
    });
  });
});
