// Lint: the recommended JavaScript and typescript-eslint rules, on sources, tests and scripts, plus the
// house's layering (docs/ARCHITECTURE.md) as import rules: a stage imports only from the ground floor and
// from earlier stages, and the pure core (matcher, engine, alert decision) does no I/O and reads no clock.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Import patterns for a folder of src/, by what it must not reach. */
const folder = (name) => `**/${name}/**`;
const file = (name) => `**/${name}.ts`;
const UPPER = {
  cli: [folder('cli'), file('cli')],
  main: [file('main')],
  demo: [folder('demo')],
  server: [folder('server')],
  pipeline: [folder('pipeline')],
  alerts: [folder('alerts')],
  ingest: [folder('ingest')],
  tagging: [folder('tagging')],
  scenarios: [folder('scenarios')],
};
const PURE_PATHS = [
  'kysely',
  'better-sqlite3',
  'pg',
  'node:fs',
  'fs',
  'node:fs/promises',
  'node:net',
  'net',
  'node:http',
  'node:https',
  'node:child_process',
].map((name) => ({
  name,
  message: 'the pure core does no I/O: take data in, return data out',
  allowTypeImports: true,
}));
const PURE_PATTERN = {
  group: ['**/db/connect*', '**/db/write-transaction*', '**/db/migrate*', '**/clock*'],
  message: 'the pure core does no I/O and reads no clock: take `now` and data as arguments',
  allowTypeImports: true,
};
const NO_CLOCK = [
  'error',
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'the pure core reads no clock: take `now` as an argument',
  },
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: 'the pure core reads no clock: take `now` as an argument',
  },
];

/** The import rule for files that must not reach `groups`; pure files also get the no-I/O, no-clock rules. */
const forbid = (message, groups, pure = false) => ({
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      ...(pure ? { paths: PURE_PATHS } : {}),
      patterns: [{ group: groups.flat(), message }, ...(pure ? [PURE_PATTERN] : [])],
    },
  ],
  ...(pure ? { 'no-restricted-syntax': NO_CLOCK } : {}),
});
const layer = (files, message, names, pure = false) => ({
  files,
  ignores: ['**/*.test.{ts,tsx}'],
  rules: forbid(
    message,
    names.map((n) => UPPER[n]),
    pure,
  ),
});
const above = (stage, ...names) =>
  layer(
    [`src/${stage}/**/*.{ts,tsx}`],
    `src/${stage}/ sits below ${names.join(', ')}: import only from pack/, db/, config/ and earlier stages (docs/ARCHITECTURE.md)`,
    names,
  );
const STAGES_AND_UP = ['cli', 'main', 'demo', 'server', 'pipeline', 'alerts', 'ingest', 'tagging', 'scenarios'];
const SIBLINGS = {
  ingest: ['cli', 'main', 'demo', 'server', 'pipeline', 'alerts', 'tagging', 'scenarios'],
  tagging: ['cli', 'main', 'demo', 'server', 'pipeline', 'alerts', 'ingest', 'scenarios'],
  scenarios: ['cli', 'main', 'demo', 'server', 'pipeline', 'alerts', 'ingest', 'tagging'],
  alerts: ['cli', 'main', 'demo', 'server', 'pipeline', 'ingest', 'tagging'],
};
const pure = (files, stage) => ({
  ...layer(files, `the pure core of src/${stage}/ imports no later stage or sibling`, SIBLINGS[stage], true),
  ignores: ['**/*.test.{ts,tsx}', 'src/tagging/tag-pending.ts'],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'test/fixtures/', 'coverage/', 'dist/', 'dist.*/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-control-regex': 'off',
    },
  },
  // The ground floor: shared by every stage, importing none of them.
  {
    files: [
      'src/pack/**/*.ts',
      'src/db/**/*.ts',
      'src/config/**/*.ts',
      'src/errors.ts',
      'src/clock.ts',
      'src/logger.ts',
      'src/scheduler/**/*.ts',
    ],
    ignores: ['**/*.test.ts'],
    rules: forbid(
      'the ground floor (pack/, db/, config/, scheduler/, errors, clock, logger) imports no stage (docs/ARCHITECTURE.md)',
      STAGES_AND_UP.map((n) => UPPER[n]),
    ),
  },
  // Ingest, tagging and scenarios are siblings: they talk only through db/ and pack/.
  above('ingest', ...SIBLINGS.ingest),
  above('tagging', ...SIBLINGS.tagging),
  above('scenarios', ...SIBLINGS.scenarios),
  above('alerts', ...SIBLINGS.alerts),
  above('pipeline', 'cli', 'main', 'demo', 'server'),
  above('backtest', 'cli', 'main', 'demo', 'server', 'pipeline'),
  above('server', 'cli', 'main', 'demo', 'pipeline'),
  above('demo', 'cli'),
  // The pure core (matcher, engine, alert decision): the same boundaries, and no I/O or clock.
  pure(['src/scenarios/engine/**/*.ts'], 'scenarios'),
  pure(['src/tagging/*.ts'], 'tagging'),
  pure(['src/alerts/decide.ts', 'src/alerts/decide-time.ts'], 'alerts'),
);
