// Evidence weights: source tier × match confidence, combined across independent sources of one story.
import type { EvidenceItem } from './types.ts';

/** Tier 1 → 1.0, 2 → 0.825, 3 → 0.65, 4 → 0.475, 5 → 0.3 (linear); out-of-range tiers are clamped. */
export function tierWeight(tier: number): number {
  const t = Number.isFinite(tier) ? Math.min(5, Math.max(1, tier)) : 5;
  return 1 - ((t - 1) * 0.7) / 4;
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

/** One source's weight for one item. */
export function itemWeight(item: EvidenceItem): number {
  return tierWeight(item.tier) * clamp01(item.confidence);
}

/**
 * The weight of one observation (one indicator/polarity/modality within one story cluster).
 * Items on the same feed, or with the same text (syndicated wire copy), are ONE source, weighted by
 * its best item. Independent sources corroborate with diminishing returns: w = 1 − Π(1 − w_j),
 * so twenty syndicated copies weigh what one does, and two independent sources weigh more than one
 * but never twice as much (and never above 1).
 */
export function observationWeight(items: readonly EvidenceItem[]): number {
  if (items.length === 1) return itemWeight(items[0]!);
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  if (items.length <= 32) {
    // Small stories (the usual case): pairwise comparison, no maps.
    for (let i = 1; i < items.length; i++) {
      for (let j = 0; j < i; j++) {
        const a = items[i]!;
        const b = items[j]!;
        if ((a.feedId !== null && a.feedId === b.feedId) || (a.contentHash !== null && a.contentHash === b.contentHash))
          parent[find(i)] = find(j);
      }
    }
  } else {
    const byFeed = new Map<string, number>();
    const byText = new Map<string, number>();
    const link = (map: Map<string, number>, key: string | null, i: number) => {
      if (key === null) return;
      const j = map.get(key);
      if (j === undefined) map.set(key, i);
      else parent[find(i)] = find(j);
    };
    items.forEach((it, i) => {
      link(byFeed, it.feedId === null ? null : String(it.feedId), i);
      link(byText, it.contentHash, i);
    });
  }
  const best = new Map<number, number>();
  items.forEach((it, i) => {
    const root = find(i);
    best.set(root, Math.max(best.get(root) ?? 0, itemWeight(it)));
  });
  let miss = 1;
  // Multiply in sorted order so the result does not depend on the items' order.
  for (const w of [...best.values()].sort((a, b) => a - b)) miss *= 1 - w;
  return clamp01(1 - miss);
}
