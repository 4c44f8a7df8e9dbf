// Loads every question an instance tracks (PACKS): each pack as loadPack does, and no pack id twice.
import { type LoadedPack, PackError, loadPack } from './load.ts';

/** Loads `files` in order (the first is the default question); a pack id used twice is a PackError naming both files. */
export function loadPacks(files: readonly string[], cwd: string = process.cwd()): LoadedPack[] {
  const packs: LoadedPack[] = [];
  for (const file of files) {
    const loaded = loadPack(file, cwd);
    const twin = packs.find((p) => p.pack.id === loaded.pack.id);
    if (twin)
      throw new PackError(loaded.file, [
        {
          path: 'id',
          message: `the pack id "${loaded.pack.id}" is already used by ${twin.file}: every question in PACKS needs its own id`,
        },
      ]);
    packs.push(loaded);
  }
  return packs;
}
