// A small text progress bar for long CLI jobs, drawn on stderr (in place on a terminal, every 10% otherwise).

export interface ProgressBar {
  update(done: number, total: number): void;
  finish(): void;
}

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr, width = 30): ProgressBar {
  let lastStep = -1;
  let drawn = false;
  return {
    update(done, total) {
      const fraction = total <= 0 ? 1 : Math.min(1, done / total);
      const filled = Math.round(fraction * width);
      const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(fraction * 100)}% ${done}/${total}`;
      if (stream.isTTY) {
        stream.write(`\r${line}`);
        drawn = true;
        return;
      }
      const step = Math.floor(fraction * 10);
      if (step !== lastStep) {
        lastStep = step;
        stream.write(`${line}\n`);
      }
    },
    finish() {
      if (drawn) stream.write('\n');
    },
  };
}
