// The command line's one JSON convention: with --json, a command writes exactly one JSON document (an
// object, so fields can be added later) on one line of stdout, after its work is done, and nothing else
// on stdout; progress and warnings go to stderr. The one stream, `ingest` without --once, writes one
// such document per run (JSON Lines). docs/cli.md documents every command's document.

export function printJson(value: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
