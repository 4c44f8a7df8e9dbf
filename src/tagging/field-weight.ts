// How much a tag's field counts: a headline states what the story is about; a match deep in the body is weaker evidence.
import type { TagField } from './tag-text.ts';

export const FIELD_WEIGHT: Record<TagField, number> = { title: 1, summary: 0.9, text: 0.8 };
