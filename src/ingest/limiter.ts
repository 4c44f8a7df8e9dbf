// Runs tasks with a global concurrency limit and a per-key (per-host) limit; a task whose host is
// busy waits while tasks for other hosts go ahead. Pure scheduling, no I/O of its own.

export interface LimitedTask<T> {
  key: string;
  run(): Promise<T>;
}

/** Runs every task, at most `global` at once and at most `perKey` per key; results in task order. */
export async function runLimited<T>(tasks: LimitedTask<T>[], limits: { global: number; perKey: number }): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  const pending = tasks.map((t, i) => ({ t, i }));
  const active = new Map<string, number>();
  let running = 0;
  return new Promise<T[]>((resolve, reject) => {
    let failed = false;
    const pump = (): void => {
      if (failed) return;
      if (pending.length === 0 && running === 0) {
        resolve(results);
        return;
      }
      for (let j = 0; j < pending.length && running < limits.global;) {
        const { t, i } = pending[j]!;
        const busy = active.get(t.key) ?? 0;
        if (busy >= limits.perKey) {
          j++;
          continue;
        }
        pending.splice(j, 1);
        running++;
        active.set(t.key, busy + 1);
        t.run().then(
          (r) => {
            results[i] = r;
            running--;
            active.set(t.key, (active.get(t.key) ?? 1) - 1);
            pump();
          },
          (error: unknown) => {
            failed = true;
            reject(error);
          },
        );
      }
    };
    pump();
  });
}
