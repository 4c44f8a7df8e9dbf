// loadPacks: every question of PACKS loaded in order, and a pack id used twice refused with both files named.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPacks } from './load-packs.ts';
import { PackError } from './load.ts';

const fixtures = path.resolve(import.meta.dirname, '../../test/fixtures/packs');

describe('loadPacks', () => {
  it('loads the packs in order', () => {
    const packs = loadPacks([path.join(fixtures, 'minimal.yaml'), path.join(fixtures, 'server-pack.yaml')]);
    expect(packs.map((p) => p.pack.id)).toEqual(['minimal', 'ukraine-peace']);
  });

  it('refuses two packs with the same id, naming both files', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bw-dup-'));
    copyFileSync(path.join(fixtures, 'minimal.yaml'), path.join(dir, 'one.yaml'));
    copyFileSync(path.join(fixtures, 'minimal.yaml'), path.join(dir, 'two.yaml'));
    let error: unknown;
    try {
      loadPacks([path.join(dir, 'one.yaml'), path.join(dir, 'two.yaml')], dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PackError);
    expect((error as PackError).message).toBe(
      'two.yaml: id: the pack id "minimal" is already used by one.yaml: every question in PACKS needs its own id',
    );
  });
});
