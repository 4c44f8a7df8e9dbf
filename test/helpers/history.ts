// A tiny synthetic history library built in memory: a base pack and questions, parsed by the real loader.
import { parseHistoryQuestion } from '../../src/pack/history.ts';
import type { CorpusItem, LibraryQuestion } from '../../src/backtest/types.ts';

export const BASE_YAML = `
id: base
title: Base
question: Base?
horizon: 2099-12-31
evidence_scale: 0.5
scenarios:
  - { id: deal, name: Deal, prior: 0.3, resolution: r }
  - { id: ceasefire, name: Ceasefire, prior: 0.3, resolution: r }
  - { id: collapse, name: Collapse, prior: 0.4, resolution: r }
indicators:
  - id: mediator_talks
    name: Talks
    likelihoods: { deal: 3, ceasefire: 2, collapse: 0.5 }
    rules:
      - { id: talks, all: [[talks], [$parties, $mediators]] }
  - id: rejection_a
    name: A rejects
    likelihoods: { deal: 0.5, ceasefire: 0.8, collapse: 2 }
    rules:
      - { id: rej, all: [[$a], [rejects]], polarity: affirmed }
`;

export interface QuestionSpec {
  id: string;
  outcome: string;
  /** Two scenarios (ceasefire, collapse) instead of three. */
  two?: boolean;
  market?: string;
  items: Array<{ date: string; title: string; labels: CorpusItem['labels'] }>;
}

export function metaYaml(q: QuestionSpec): string {
  const scenarios = q.two
    ? `  - { id: ceasefire, role: ceasefire, name: C, prior: 0.4, deadline: 2025-01-20, resolution: r }
  - { id: collapse, role: collapse, name: X, prior: 0.6, resolution: r }`
    : `  - { id: deal, role: deal, name: D, prior: 0.2, deadline: 2025-01-20, resolution: r }
  - { id: ceasefire, role: ceasefire, name: C, prior: 0.2, deadline: 2025-01-20, resolution: r }
  - { id: collapse, role: collapse, name: X, prior: 0.6, resolution: r }`;
  return `id: ${q.id}
title: ${q.id}
question: Will it?
opens: 2025-01-01
horizon: 2025-01-20
side_a: { id: north, names: { en: [Northland], ru: [Север] } }
side_b: { id: south, names: { en: [Southland] } }
mediators: { en: [Mediatoria] }
scenarios:
${scenarios}
outcome: { scenario: ${q.outcome}, date: 2025-01-06, sources: [{ outlet: O, url: "https://example.org" }] }
${q.market ?? ''}
`;
}

export function buildQuestion(q: QuestionSpec): LibraryQuestion {
  const files: Record<string, string> = { [`lib/${q.id}/meta.yaml`]: metaYaml(q), 'lib/indicators.yaml': BASE_YAML };
  const read = (f: string) => {
    const text = files[f];
    if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    return text;
  };
  const { meta, loaded } = parseHistoryQuestion(files[`lib/${q.id}/meta.yaml`]!, `lib/${q.id}/meta.yaml`, read);
  const items = q.items.map((it, i) => ({
    id: `${q.id}-${i}`,
    date: it.date,
    language: 'en',
    title: it.title,
    summary: '',
    labels: it.labels,
  }));
  return { meta, pack: loaded.pack, items };
}

export const talks = (date: string) => ({
  date,
  title: 'Northland and Southland hold talks in Mediatoria',
  labels: [{ indicator: 'mediator_talks', side: null, polarity: 'affirmed' as const, modality: null }],
});
export const rejects = (date: string) => ({
  date,
  title: 'Northland rejects the plan',
  labels: [{ indicator: 'rejection', side: 'a' as const, polarity: 'affirmed' as const, modality: null }],
});
