// Reads the history library (the thin I/O edge of the backtest): every folder with meta.yaml and corpus.jsonl.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PackError } from '../pack/load.ts';
import { parseHistoryQuestion } from '../pack/history.ts';
import type { CorpusItem, LibraryQuestion } from './types.ts';

const labelSchema = z.object({
  indicator: z.string().min(1),
  side: z.enum(['a', 'b']).nullable().default(null),
  polarity: z.enum(['affirmed', 'negated']),
  modality: z.enum(['held', 'scheduled', 'proposed', 'cancelled', 'speculative']).nullable().default(null),
});

const itemSchema = z.object({
  id: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date YYYY-MM-DD' }),
  language: z.string().nullable().default(null),
  title: z.string().default(''),
  summary: z.string().default(''),
  labels: z.array(labelSchema).default([]),
});

export interface LibraryProblem {
  /** The file (and line) at fault. */
  where: string;
  message: string;
}

/** Parses corpus.jsonl; a bad line is reported and skipped, the others are kept. */
export function parseCorpus(text: string, file: string): { items: CorpusItem[]; problems: LibraryProblem[] } {
  const items: CorpusItem[] = [];
  const problems: LibraryProblem[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file}:${i + 1}`;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (error) {
      problems.push({ where, message: `not JSON: ${(error as Error).message}` });
      return;
    }
    const r = itemSchema.safeParse(data);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      problems.push({ where, message: `${issue.path.join('.') || '(item)'}: ${issue.message}` });
      return;
    }
    items.push(r.data);
  });
  return { items, problems };
}

/**
 * Every folder of `dir` holding meta.yaml and corpus.jsonl, in name order. A question that fails to
 * load is reported and left out; the others still run.
 */
export function loadLibrary(dir: string): { questions: LibraryQuestion[]; problems: LibraryProblem[] } {
  const questions: LibraryQuestion[] = [];
  const problems: LibraryProblem[] = [];
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch (cause) {
    problems.push({
      where: dir,
      message: `cannot read the library: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
    });
    return { questions, problems };
  }
  for (const name of names) {
    const metaFile = path.join(dir, name, 'meta.yaml');
    const corpusFile = path.join(dir, name, 'corpus.jsonl');
    if (!existsSync(metaFile) || !existsSync(corpusFile)) continue;
    try {
      const { meta, loaded } = parseHistoryQuestion(readFileSync(metaFile, 'utf8'), metaFile);
      const corpus = parseCorpus(readFileSync(corpusFile, 'utf8'), corpusFile);
      problems.push(...corpus.problems);
      questions.push({ meta, pack: loaded.pack, items: corpus.items });
    } catch (error) {
      if (error instanceof PackError)
        problems.push(...error.problems.map((p) => ({ where: error.file, message: `${p.path}: ${p.message}` })));
      else problems.push({ where: metaFile, message: (error as Error).message });
    }
  }
  return { questions, problems };
}
