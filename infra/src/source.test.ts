import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashDirectory } from './source.ts';

function aPackagedDirectory(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ereg-source-'));
  for (const [path, content] of Object.entries({ 'package.json': '{"main":"dist/index.js"}', ...files })) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const made: string[] = [];
const packaged = (files: Record<string, string>) => {
  const dir = aPackagedDirectory(files);
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('the name of the uploaded source', () => {
  test('is the same for the same files, wherever they are packaged', () => {
    const files = { 'dist/index.js': 'export {};', 'dist/http/router.js': 'export const r = 1;' };
    expect(hashDirectory(packaged(files))).toBe(hashDirectory(packaged(files)));
  });

  test('changes when a file changes, is added, or moves', () => {
    const base = hashDirectory(packaged({ 'dist/index.js': 'export {};' }));
    expect(hashDirectory(packaged({ 'dist/index.js': 'export const x = 1;' }))).not.toBe(base);
    expect(hashDirectory(packaged({ 'dist/index.js': 'export {};', 'dist/a.js': '' }))).not.toBe(base);
    expect(hashDirectory(packaged({ 'dist/main.js': 'export {};' }))).not.toBe(base);
  });

  test('cannot be made from a directory that was not packaged', () => {
    const empty = mkdtempSync(join(tmpdir(), 'ereg-source-'));
    made.push(empty);
    expect(() => hashDirectory(empty)).toThrow('run `npm run package:functions`');
  });
});
