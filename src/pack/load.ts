// Loads a pack file, or a history question built from its base pack: the entry point every command uses.
// Parsing and validation live in parse.ts (history.ts builds on them); this file only dispatches.
import path from 'node:path';
import { historyMetaFile, parseHistoryQuestion } from './history.ts';
import { type LoadedPack, type LoadOptions, PackError, parsePack, readPackFile } from './parse.ts';

export * from './parse.ts';

/**
 * Loads a pack file, or a history question (its folder or its meta.yaml: see history.ts), which is
 * built from its base pack and validated the same way.
 */
export function loadPack(file: string, cwd: string = process.cwd(), options: LoadOptions = {}): LoadedPack {
  const meta = historyMetaFile(file);
  if (meta !== null) file = meta;
  const shown = path.relative(cwd, file) || file;
  let text: string;
  try {
    text = readPackFile(file);
  } catch (cause) {
    throw new PackError(shown, [{ path: '(file)', message: `cannot read the pack: ${(cause as Error).message}` }]);
  }
  // Parents (extends, a history question's base) are read as packs: regular files, under the cap.
  const readText = (f: string) => readPackFile(path.resolve(cwd, f));
  return meta !== null ? parseHistoryQuestion(text, shown, readText).loaded : parsePack(text, shown, readText, options);
}
