// Packs are read by js-yaml (fast) and, where it refuses, by yaml (line and column in its messages): both must read
// every YAML file of the project, and every corner of YAML 1.2 a pack author could write, to the same value.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { PackError, readYaml } from '../src/pack/parse.ts';

/** What yaml alone (the parser packs were read with before js-yaml) makes of `text`, or its error. */
function byYaml(text: string): { value: unknown } | { error: string } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) return { error: doc.errors[0]!.message };
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name.startsWith('.') ? [] : yamlFiles(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

/** readYaml takes mappings only; wrap a scalar or list case as the value of a key. */
function agree(text: string, file: string): void {
  const expected = byYaml(text);
  let got: { value: unknown } | { error: string };
  try {
    got = { value: readYaml(text, file) };
  } catch (e) {
    expect(e).toBeInstanceOf(PackError);
    got = { error: (e as Error).message };
  }
  if ('error' in expected) {
    expect('error' in got, `${file}: yaml refuses it (${expected.error}), so must the pack reader`).toBe(true);
  } else if ('value' in got) {
    // readYaml makes a relative `model:` path relative to the pack's folder.
    const v = expected.value as Record<string, unknown>;
    if (typeof v.model === 'string') v.model = path.join(path.dirname(file), v.model);
    expect(isDeepStrictEqual(got.value, expected.value), `${file}: ${JSON.stringify(got.value)}`).toBe(true);
  } else {
    // A mapping is what readYaml accepts; anything else is refused by both paths alike.
    const v = expected.value;
    expect(v === null || typeof v !== 'object' || Array.isArray(v), `${file}: ${got.error}`).toBe(true);
  }
}

describe('the pack reader reads YAML as yaml does', () => {
  const root = path.resolve(import.meta.dirname, '..');
  const files = [
    ...yamlFiles(path.join(root, 'packs')),
    ...yamlFiles(path.join(root, 'test')),
    ...yamlFiles(path.join(root, 'demo')),
  ];

  it('every YAML file of the project', () => {
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) agree(readFileSync(f, 'utf8'), path.relative(root, f));
  });

  const corners = [
    'yes',
    'no',
    'on',
    'off',
    'y',
    'null',
    'Null',
    'NULL',
    '~',
    'true',
    'True',
    'TRUE',
    'false',
    '0o17',
    '0x1F',
    '0b101',
    '012',
    '08',
    '0777',
    '+12',
    '-0',
    '1_000',
    '1,000',
    '1e3',
    '0e0',
    '.5',
    '+.5',
    '1.',
    '.inf',
    '-.Inf',
    '.NaN',
    '2027-12-31',
    '2027-12-31T10:00:00Z',
    '12:30',
    '1:20:30',
    '!!str 5',
    '!!int "5"',
    '!!float 1',
    '!!binary aGk=',
    '!!timestamp 2020-01-01',
    '!foo bar',
    '"\\u00e9\\x41"',
    "'it''s'",
    '"a\\\n  b"',
    '|\n  a\n  b\n',
    '>-\n  a\n  b\n',
    '[a, b, ]',
    '{a: [1, 2], b}',
    'b #c',
    '"b" #c',
    '@a',
    '`a',
    'a:b',
    '- - a',
    '\t a',
  ];
  it.each(corners)('the scalar or collection %j as a field value', (corner) => {
    const indented = corner.includes('\n') ? corner.replace(/\n/g, '\n  ') : corner;
    agree(`field: ${indented}\nother: 1\n`, `packs/corner.yaml`);
  });

  it.each([
    'a: 1\na: 2\n',
    '<<: {a: 1}\nb: 2\n',
    '? [a]\n: b\n',
    '%YAML 1.1\n---\na: yes\n',
    '--- {a: 1}\n--- {b: 2}\n',
    'a: &x [1, 2]\nb: *x\nc: *x\n',
    'a: *missing\n',
    '\ta: 1\n',
    'a:\n\t- 1\n',
    '',
    '# only a comment\n',
    '- a\n- b\n',
    'just words\n',
  ])('the document %j', (text) => agree(text, 'packs/document.yaml'));
});
