import { describe, expect, it } from 'vitest';
import { runLimited } from './limiter.ts';

describe('runLimited', () => {
  it('never exceeds the global or the per-key limit, runs everything, keeps order', async () => {
    let running = 0;
    let peak = 0;
    const perKey = new Map<string, number>();
    const peakPerKey = new Map<string, number>();
    const tasks = Array.from({ length: 60 }, (_, i) => ({
      key: `h${i % 4}`,
      run: async () => {
        const k = `h${i % 4}`;
        running++;
        perKey.set(k, (perKey.get(k) ?? 0) + 1);
        peak = Math.max(peak, running);
        peakPerKey.set(k, Math.max(peakPerKey.get(k) ?? 0, perKey.get(k)!));
        await new Promise((r) => setTimeout(r, (i * 7) % 5));
        running--;
        perKey.set(k, perKey.get(k)! - 1);
        return i;
      },
    }));
    const out = await runLimited(tasks, { global: 5, perKey: 2 });
    expect(out).toEqual(tasks.map((_, i) => i));
    expect(peak).toBe(5);
    expect(Math.max(...peakPerKey.values())).toBe(2);
  });
  it('lets other hosts go ahead while one host is saturated', async () => {
    const order: string[] = [];
    const slow = (k: string) => ({
      key: k,
      run: async () => {
        order.push(`start ${k}`);
        await new Promise((r) => setTimeout(r, 20));
        return k;
      },
    });
    await runLimited([slow('a'), slow('a'), slow('a'), slow('b')], { global: 8, perKey: 2 });
    expect(order.slice(0, 3)).toEqual(['start a', 'start a', 'start b']);
  });
  it('resolves an empty list', async () => {
    expect(await runLimited([], { global: 1, perKey: 1 })).toEqual([]);
  });
});
