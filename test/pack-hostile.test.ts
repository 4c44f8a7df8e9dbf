// Hostile packs (issue 18.8 and 18.10): `extends:` pointing at absolute paths, /proc, /dev/zero and
// huge files; YAML alias bombs; oversized packs. Each is a clear PackError that echoes nothing it read.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { MAX_PACK_BYTES, PackError, loadPack, parsePack } from '../src/pack/load.ts';
import { tempDir } from './helpers/temp-dir.ts';

const parent = {
  id: 'parent',
  title: 'Parent',
  question: 'Which?',
  horizon: '2027-01-31',
  scenarios: [
    { id: 'yes', name: 'Yes', prior: 0.5, resolution: 'it happens' },
    { id: 'no', name: 'No', prior: 0.5, resolution: 'otherwise' },
  ],
  indicators: [{ id: 'talks', name: 'Talks', likelihoods: { yes: 2, no: 0.5 }, rules: [{ id: 't1', any: ['talks'] }] }],
  feeds: [],
};

function failure(fn: () => unknown): PackError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PackError);
    return error as PackError;
  }
  throw new Error('expected a PackError');
}

/** A child pack in a folder four levels deep, extending `ref`. */
function child(ref: string): string {
  const dir = path.join(tempDir('bw-pack-hostile-'), 'a', 'b', 'c');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'child.yaml');
  writeFileSync(file, `extends: ${JSON.stringify(ref)}\nid: child\n`);
  return file;
}

describe('extends', () => {
  it('resolves an absolute path as absolute, not under the pack folder', () => {
    const dir = tempDir('bw-pack-abs-');
    const abs = path.join(dir, 'parent.yaml');
    writeFileSync(abs, stringify(parent));
    const loaded = loadPack(child(abs));
    expect(loaded.pack.id).toBe('child');
    expect(loaded.pack.indicators.map((i) => i.id)).toEqual(['talks']);
  });

  it('never echoes a file that is not YAML: ../../../../proc/self/environ prints no environment variable', () => {
    process.env.BW_PROBE_SECRET = 'probe-secret-value-4711';
    const file = child('../../../../../../../../../../proc/self/environ');
    const e = failure(() => loadPack(file));
    expect(e.message).toContain('/proc/self/environ');
    expect(e.message).not.toContain('probe-secret-value-4711');
    expect(e.message).not.toMatch(/PATH=|HOME=|=\//);
  });

  it('reads only regular files: /dev/zero is refused at once instead of growing memory', () => {
    const e = failure(() => loadPack(child('/dev/zero')));
    expect(e.message).toContain('/dev/zero: not a regular file');
  });

  it('refuses a parent larger than the pack size cap without reading it whole', () => {
    const dir = tempDir('bw-pack-big-');
    const big = path.join(dir, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(MAX_PACK_BYTES)}\n`);
    expect(failure(() => loadPack(child(big))).message).toMatch(/larger than the 1 MB cap for a pack file/);
  });

  it('names a parent that is text but not a pack without quoting it', () => {
    const dir = tempDir('bw-pack-text-');
    const notes = path.join(dir, 'notes.txt');
    writeFileSync(notes, 'token-in-a-text-file-8812\n');
    const e = failure(() => loadPack(child(notes)));
    expect(e.message).toContain('expected a mapping of pack fields (got a string)');
    expect(e.message).not.toContain('token-in-a-text-file-8812');
  });
});

describe('size and alias limits', () => {
  it('an alias bomb is a PackError, not a raw ReferenceError stack trace', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [n, p] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
      ['g', 'f'],
    ])
      lines.push(`${n}: &${n} [${Array(9).fill(`*${p}`).join(',')}]`);
    const e = failure(() => parsePack(lines.join('\n'), 'bomb.yaml'));
    expect(e.message).toMatch(/^bomb\.yaml: \(yaml\): too many YAML aliases/);
  });

  it('a pack over the size cap is refused before it is parsed (a 10 MB pack took 19 s and 1.2 GB)', () => {
    const dir = tempDir('bw-pack-huge-');
    const file = path.join(dir, 'huge.yaml');
    const feeds = Array.from({ length: 200_000 }, (_, i) => `  - { url: "https://f${i}.example.org/rss", tier: 3 }`);
    writeFileSync(file, `${stringify(parent).replace('feeds: []\n', '')}feeds:\n${feeds.join('\n')}\n`);
    const e = failure(() => loadPack(file));
    expect(e.message).toMatch(/huge\.yaml: \(file\): .*larger than the 1 MB cap for a pack file/);
    expect(failure(() => parsePack('x'.repeat(MAX_PACK_BYTES + 1), 'text.yaml')).message).toMatch(/1 MB cap/);
  });
});
