import { describe, expect, it } from 'vitest';
import { withoutQuestion } from './subscriber-rules.ts';

const known = ['minimal', 'border', 'third'];

describe('withoutQuestion', () => {
  it('limits a subscriber to every question to the others, keeping its other rules', () => {
    expect(withoutQuestion('{"kinds":["probability_move"]}', 'border', known)).toEqual({
      kind: 'kept',
      rules: '{"kinds":["probability_move"],"questions":["minimal","third"]}',
      questions: ['minimal', 'third'],
    });
    expect(withoutQuestion(null, 'minimal', known)).toMatchObject({ questions: ['border', 'third'] });
  });

  it('takes the question out of a questions rule, and says when none is left', () => {
    expect(withoutQuestion('{"questions":["border","gone"]}', 'border', known)).toEqual({
      kind: 'kept',
      rules: '{"questions":["gone"]}',
      questions: ['gone'],
    });
    expect(withoutQuestion('{"questions":["border"],"min_points":5}', 'border', known)).toEqual({
      kind: 'none_left',
      rules: '{"questions":[],"min_points":5}',
    });
    expect(withoutQuestion(null, 'minimal', ['minimal'])).toEqual({ kind: 'none_left', rules: '{"questions":[]}' });
  });

  it('refuses a question the subscriber does not receive', () => {
    expect(withoutQuestion('{"questions":["minimal"]}', 'border', known)).toEqual({ kind: 'not_receiving' });
    expect(withoutQuestion('{"questions":[]}', 'border', known)).toEqual({ kind: 'not_receiving' });
  });
});
