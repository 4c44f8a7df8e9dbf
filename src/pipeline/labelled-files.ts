// Reads labelled sets from files and directories for `eval tags`, `train tags` and the bench (the parsing is tagging/labelled.ts).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { EvalError, type LabelledItem, parseLabelled } from '../tagging/labelled.ts';

/** The .jsonl files a path names: the file itself, or a directory's *.jsonl files (not recursive) in name order. */
function filesOf(p: string): string[] {
  let stat;
  try {
    stat = statSync(p);
  } catch (cause) {
    throw new EvalError(p, [`cannot read the labelled set: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`]);
  }
  if (!stat.isDirectory()) return [p];
  const files = readdirSync(p)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => path.join(p, f));
  if (files.length === 0) throw new EvalError(p, ['the directory holds no .jsonl file']);
  return files;
}

export interface LabelledSet {
  items: LabelledItem[];
  files: string[];
}

/** Reads labelled files and directories; an id used twice across them is an error naming both files. */
export function loadLabelled(paths: readonly string[]): LabelledSet {
  const files = [...new Set(paths.flatMap(filesOf))];
  const items: LabelledItem[] = [];
  const where = new Map<string, string>();
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new EvalError(file, [
        `cannot read the labelled set: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`,
      ]);
    }
    const parsed = parseLabelled(text, file);
    const dup = parsed.filter((i) => where.has(i.id));
    if (dup.length > 0)
      throw new EvalError(
        file,
        dup.map((i) => `duplicate id "${i.id}" (also in ${where.get(i.id)})`),
      );
    for (const i of parsed) where.set(i.id, file);
    items.push(...parsed);
  }
  return { items, files };
}
