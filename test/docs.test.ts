// The docs tell the truth and stay findable: the README fits on a page and links only to files that exist;
// every environment variable, CLI verb, HTTP route and pack field is documented in docs/.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verbs } from '../src/cli/commands/index.ts';
import { ENV_NAMES } from '../src/config/index.ts';
import {
  alertDefaultsSchema,
  bandSchema,
  feedSchema,
  indicatorSchema,
  levelSchema,
  packSchema,
  scenarioSchema,
} from '../src/pack/schema.ts';
import { numberRuleSchema, ruleSchema } from '../src/pack/rule-schema.ts';
import { createApp } from '../src/server/app.ts';
import { openTestDb, type TestDb, testDeps } from './helpers/seed.ts';

const root = path.resolve(import.meta.dirname, '..');
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');
const readme = read('README.md');

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t.close();
});

/** The field names of a zod object schema (through wrappers such as .strict() or .superRefine()). */
function fields(schema: z.ZodType): string[] {
  const s = schema as unknown as {
    shape?: Record<string, unknown>;
    def?: { in?: z.ZodType; innerType?: z.ZodType; schema?: z.ZodType };
  };
  if (s.shape) return Object.keys(s.shape);
  const inner = s.def?.in ?? s.def?.innerType ?? s.def?.schema;
  return inner ? fields(inner) : [];
}

describe('README', () => {
  it('fits on a page: at most 250 lines, with the screenshot, quick start and links', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
    expect(readme).toMatch(/!\[[^\]]+\]\(docs\/[\w-]+\.png\)/);
    expect(readme).toContain('npm install && npm start');
    expect(readme).not.toMatch(/TOOLCHAIN|load average/i);
  });

  it('links only to files that exist', () => {
    for (const file of ['README.md', ...readdir('docs')]) {
      const dir = path.dirname(path.join(root, file));
      for (const [, target] of read(file).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        expect(existsSync(path.resolve(dir, target!)), `${file} → ${target}`).toBe(true);
      }
    }
  });
});

function readdir(dir: string): string[] {
  return readdirSync(path.join(root, dir))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `${dir}/${f}`);
}

describe('the reference in docs/', () => {
  it('documents every environment variable in docs/configuration.md', () => {
    const doc = read('docs/configuration.md');
    for (const name of [...ENV_NAMES, 'NO_COLOR']) expect(doc, name).toContain(`| \`${name}\` |`);
  });

  it('documents every verb in docs/cli.md, and the exit codes of src/cli/errors.ts', async () => {
    const doc = read('docs/cli.md');
    for (const v of verbs) expect(doc, v.name).toContain(`\`bellwether ${v.name}`);
    const { EXIT_CODES } = await import('../src/cli/errors.ts');
    for (const code of new Set(Object.values(EXIT_CODES))) expect(doc).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
  });

  it('documents every HTTP route in docs/api.md', () => {
    const app = createApp(testDeps(t));
    const doc = read('docs/api.md');
    const paths = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => r.path));
    for (const p of paths) {
      // Admin routes are listed relative to /api/v1/admin.
      const shown = p.startsWith('/api/v1/admin/') ? p.slice('/api/v1/admin'.length) : p;
      const escaped = shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(doc, p).toMatch(new RegExp(`(\`|\`(GET|POST|DELETE) )${escaped}`));
    }
  });

  it('documents every pack field in docs/packs.md', () => {
    const doc = read('docs/packs.md');
    const schemas = {
      packSchema,
      scenarioSchema,
      indicatorSchema,
      levelSchema,
      bandSchema,
      feedSchema,
      alertDefaultsSchema,
      ruleSchema,
      numberRuleSchema,
    };
    for (const [name, schema] of Object.entries(schemas)) {
      const names = fields(schema as z.ZodType);
      expect(names.length, name).toBeGreaterThan(0);
      for (const field of names) expect(doc, `${name}.${field}`).toMatch(new RegExp(`\\b${field}\\b`));
    }
  });

  it('keeps benchmark figures in docs/benchmarks.md only', () => {
    for (const file of ['README.md', ...readdir('docs').filter((f) => f !== 'docs/benchmarks.md')])
      expect(read(file), file).not.toMatch(/\d[\d,]* (req|items|articles)\/s/);
  });
});
