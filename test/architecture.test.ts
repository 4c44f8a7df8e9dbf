// The layering of docs/ARCHITECTURE.md, held by the linter and by a cycle check over src/'s value imports.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('import boundaries', () => {
  it('fails a stage that imports a sibling or a later stage', async () => {
    expect(
      await problems(
        'src/tagging/new-file.ts',
        "import { runIngest } from '../ingest/index.ts';\nexport const x = runIngest;\n",
      ),
    ).toEqual([
      expect.stringMatching(/no-restricted-imports: .*src\/tagging\/ (sits below|imports no later stage or sibling)/),
    ]);
    expect(
      await problems(
        'src/scenarios/new-file.ts',
        "import { tagPending } from '../tagging/index.ts';\nexport const x = tagPending;\n",
      ),
    ).toHaveLength(1);
    expect(
      await problems(
        'src/server/new-file.ts',
        "import { replayCorpus } from '../pipeline/replay.ts';\nexport const x = replayCorpus;\n",
      ),
    ).toHaveLength(1);
  });

  it('fails the ground floor reaching up into a stage', async () => {
    expect(
      await problems(
        'src/pack/new-file.ts',
        "import { tagText } from '../tagging/index.ts';\nexport const x = tagText;\n",
      ),
    ).toEqual([expect.stringMatching(/ground floor/)]);
  });

  it('fails I/O or a clock in the pure core, and allows schema types there', async () => {
    expect(
      await problems(
        'src/scenarios/engine/new-file.ts',
        "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
      ),
    ).toEqual([expect.stringMatching(/pure core does no I\/O/)]);
    expect(await problems('src/tagging/new-file.ts', 'export const t = () => Date.now();\n')).toEqual([
      expect.stringMatching(/reads no clock/),
    ]);
    expect(await problems('src/alerts/decide.ts', 'export const t = new Date();\n')).toEqual([
      expect.stringMatching(/reads no clock/),
    ]);
    expect(
      await problems(
        'src/scenarios/engine/new-file.ts',
        "import type { Database } from '../../db/schema.ts';\nexport type X = Database;\n",
      ),
    ).toEqual([]);
  });

  it('lets a composition import the stages it composes', async () => {
    expect(
      await problems(
        'src/pipeline/new-file.ts',
        "import { runIngest } from '../ingest/index.ts';\nexport const x = runIngest;\n",
      ),
    ).toEqual([]);
  });
});

describe('structure', () => {
  function sources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return sources(p);
      return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
    });
  }

  it('has no import cycle in src/ other than through type-only imports', () => {
    const files = sources(path.join(root, 'src'));
    const graph = new Map<string, string[]>();
    const IMPORT = /^import\s+(?!type\b)([^'"]*?)\s*from\s*['"](\.{1,2}\/[^'"]+)['"]/gm;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const deps: string[] = [];
      for (const m of text.matchAll(IMPORT)) {
        // `import { type A, type B } from` is type-only too.
        const names = m[1]!
          .replace(/^\{|\}$/g, '')
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean);
        if (m[1]!.startsWith('{') && names.every((n) => n.startsWith('type '))) continue;
        deps.push(path.resolve(path.dirname(f), m[2]!));
      }
      graph.set(f, deps);
    }
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, stack: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...stack.slice(stack.indexOf(f)), f].map((p) => path.relative(root, p)).join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const d of graph.get(f) ?? []) visit(d, [...stack, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
