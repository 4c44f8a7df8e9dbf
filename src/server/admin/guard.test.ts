// Unit tests for the admin token comparison and feed URL validation.
import { describe, expect, it } from 'vitest';
import { tokensEqual } from './guard.ts';

describe('tokensEqual', () => {
  it.each([
    ['secret-token-123456', 'secret-token-123456', true],
    ['secret-token-123457', 'secret-token-123456', false],
    ['short', 'secret-token-123456', false],
    ['', 'secret-token-123456', false],
    ['secret-token-123456-and-more', 'secret-token-123456', false],
  ])('%s vs %s → %s', (a, b, want) => expect(tokensEqual(a, b)).toBe(want));
});
