import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const created: string[] = [];

afterEach(async () => {
  await Promise.all(created.splice(0).map((file) => rm(file, { force: true })));
});

/** Writes a throwaway source file into a layer; removed after each test. */
async function probe(layer: string, source: string): Promise<string> {
  const file = path.join(root, layer, `__layer_probe_${randomBytes(4).toString('hex')}.ts`);
  created.push(file);
  await writeFile(file, source);
  return file;
}

async function outcome(command: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd: root });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, output: failure.stdout + failure.stderr };
  }
}

const eslint = path.join(root, 'node_modules/.bin/eslint');
const tsc = path.join(root, 'node_modules/.bin/tsc');

/** Typechecks one layer's files plus a probe, with that layer's compiler options (no Node types in the renderer). */
async function typecheckLayer(layer: string, file: string) {
  const config = path.join(root, layer, `tsconfig.probe-${path.basename(file, '.ts')}.json`);
  created.push(config);
  await writeFile(
    config,
    JSON.stringify({
      extends: './tsconfig.json',
      compilerOptions: { composite: false, declaration: false, emitDeclarationOnly: false, noEmit: true },
      include: [path.basename(file)],
      references: [],
    }),
  );
  return outcome(tsc, ['-p', config]);
}

describe('layer rules (DESIGN.md §1)', () => {
  it('a renderer file importing node:fs fails lint', async () => {
    const file = await probe(
      'renderer',
      "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
    );
    const result = await outcome(eslint, ['--no-warn-ignored', file]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('Node built-ins are not allowed in this layer');
  });

  it('a renderer file importing node:fs fails typecheck (no Node types in the renderer)', async () => {
    const file = await probe(
      'renderer',
      "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
    );
    const result = await typecheckLayer('renderer', file);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/node:fs/);
  });

  it('a main file using the DOM fails typecheck', async () => {
    const file = await probe('main', 'export const title = document.title;\n');
    const result = await typecheckLayer('main', file);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/document/);
  });

  it('common/ may not import main/, electron or Node', async () => {
    const file = await probe(
      'common',
      "import { app } from 'electron';\nimport { join } from 'node:path';\nimport { createDispatcher } from '../main/host/dispatcher';\nexport const all = [app, join, createDispatcher];\n",
    );
    const result = await outcome(eslint, ['--no-warn-ignored', file]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('Only the Electron shell files');
    expect(result.output).toContain('Node built-ins are not allowed');
    expect(result.output).toContain('Never import main/');
  });

  it('main/ outside the shell may not import electron', async () => {
    const file = await probe('main', "import { app } from 'electron';\nexport const quit = app.quit;\n");
    const result = await outcome(eslint, ['--no-warn-ignored', file]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('Only the Electron shell files');
  });

  it('a clean renderer file passes both checks (the probes can pass)', async () => {
    const file = await probe('renderer', 'export const answer: number = 42;\n');
    expect((await outcome(eslint, ['--no-warn-ignored', file])).code).toBe(0);
    expect((await typecheckLayer('renderer', file)).code).toBe(0);
  });
});
