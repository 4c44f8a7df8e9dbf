// The running version, read once from package.json, and the package's root folder. Both are found one
// level up from this module, which holds from src/ (tsx, tests) and from the flat dist/ bundle alike.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PACKAGE_JSON = new URL('../package.json', import.meta.url);

export const VERSION: string = (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;

/** The folder holding package.json, packs/ and demo/ (not the working directory). */
export const PACKAGE_ROOT: string = fileURLToPath(new URL('.', PACKAGE_JSON));
