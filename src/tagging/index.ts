// The tagging stage's public face: the pure matcher and (in tag-pending.ts) the orchestrator.
export { compileIndicators, type CompiledIndicators } from './compile.ts';
export { fold } from './normalise.ts';
export { splitSentences } from './sentences.ts';
export { FIELD_WEIGHT, NUMBERS_RULE_ID, type TagDraft, type TagField, type TagInput, tagText } from './tag-text.ts';
export {
  type TagPendingOptions,
  type TagPendingResult,
  type TagProgress,
  compilePack,
  compiledFor,
  markAllStale,
  tagPending,
  tagPendingPacks,
  packsRulesHash,
} from './tag-pending.ts';
export { MODEL_RULE_ID } from './model-tags.ts';
