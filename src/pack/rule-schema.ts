// The rule language analysts write in a pack's indicators (validated here; compiled by the matcher).
import { z } from 'zod';

const isRegex = (t: string) => t.length > 2 && t.startsWith('/') && t.endsWith('/');
/** A synonym group's name, and a term that stands for the group (`@talks`). */
export const SYNONYM_NAME = /^[a-z][a-z0-9_]*$/;
const SYNONYM_REF = /^@[a-z][a-z0-9_]*$/;

/**
 * A term is a word or phrase, matched case- and diacritic-insensitively on Unicode word
 * boundaries. A `*` ending a word makes it a prefix ("Путин*" matches Путина, Путиным),
 * which is how Russian and Ukrainian inflections are written. A `~` starting a word matches
 * every word with the same stem (Snowball: "~переговоры" matches переговоров, переговорах, but
 * not переговорщик). A term written `/…/` is a regular expression (u flag) over folded text:
 * lower case, no diacritics, ё→е, й→и, ї→і. A term `@name` stands for every term of the pack's
 * synonym group `name`.
 */
export const termSchema = z.preprocess(
  // YAML reads a bare `28` as a number; as a term it means the text "28".
  (v) => (typeof v === 'number' ? String(v) : v),
  z
    .string()
    .trim()
    .min(1, { error: 'must be a non-empty term' })
    .refine((t) => !isRegex(t) || compiles(t.slice(1, -1)), {
      error: 'a /regex/ term must be a valid JavaScript regular expression (u flag)',
    })
    .refine((t) => !t.startsWith('@') || SYNONYM_REF.test(t), {
      error: 'a synonym reference is @ and a group name (lower case letters, digits, _)',
    })
    .refine(
      (t) => isRegex(t) || t.split(/\s+/).every((w) => !w.startsWith('~') || /^~[^~*]*[\p{L}\p{N}][^~*]*$/u.test(w)),
      {
        error: 'a ~ word needs letters after the ~ and cannot also end in * (write ~word or word*)',
      },
    ),
);

function compiles(source: string): boolean {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}

export const modalitySchema = z.enum(['held', 'scheduled', 'proposed', 'cancelled', 'speculative'], {
  error: 'expected one of held, scheduled, proposed, cancelled, speculative',
});
export const polaritySchema = z.enum(['affirmed', 'negated'], { error: 'expected affirmed or negated' });

export const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, { error: 'expected a lower-case id (letters, digits, _ . -)' }),
    /** Languages the rule applies to (ISO 639-1); omitted = every language. */
    lang: z.array(z.string().regex(/^[a-z]{2}$/, { error: 'expected a two-letter language code' })).optional(),
    /** Any one of these terms matching a sentence fires the rule. */
    any: z.array(termSchema).min(1).optional(),
    /** Every group must have a term matching in the same sentence (and within `within` tokens when set). */
    all: z
      .array(z.array(termSchema).min(1, { error: 'a group needs at least one term' }))
      .min(1)
      .optional(),
    within: z.number().int().positive({ error: 'must be a positive whole number of tokens' }).optional(),
    /** A sentence with any of these terms does not fire the rule. */
    none: z.array(termSchema).optional(),
    /** Fixed polarity or modality for this rule; otherwise they are detected from the sentence. */
    polarity: polaritySchema.optional(),
    modality: modalitySchema.optional(),
    confidence: z.number().gt(0, { error: 'must be in (0, 1]' }).max(1, { error: 'must be in (0, 1]' }).default(1),
    /** Every plain word of the rule's terms (without `*`) matches by stem, as if written `~word`. */
    stem: z.boolean().optional(),
  })
  .strict()
  .refine((r) => r.any !== undefined || r.all !== undefined, {
    error: 'a rule needs `any` or `all` terms',
  });

export type Rule = z.output<typeof ruleSchema>;

/** Which numbers a level indicator reads from matching sentences: counts followed or preceded by these units. */
export const numberRuleSchema = z
  .object({
    units: z.record(z.string(), z.array(termSchema).min(1)),
  })
  .strict();

export type NumberRule = z.output<typeof numberRuleSchema>;

/** Synonym groups shared by several rules: `synonyms: {talks: [talks, ~переговоры]}`, used as the term `@talks`. */
export const synonymsSchema = z.record(
  z.string().regex(SYNONYM_NAME, { error: 'expected a lower-case group name (letters, digits, _)' }),
  z
    .array(
      termSchema.refine((t) => typeof t !== 'string' || !t.startsWith('@'), {
        error: 'a synonym group lists terms, not other groups',
      }),
    )
    .min(1, { error: 'a synonym group needs at least one term' }),
);
