// Removing a subscriber from one question on a real database (SQLite or PostgreSQL): two removals at once, from
// one subscriber to every question, both count (each writes only over the rules it read, or reads them again).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSubscriber, removeFromQuestion, SubscriberError } from '../src/alerts/subscribers.ts';
import { openTestDb, type TestDb } from './helpers/seed.ts';

const now = new Date('2026-11-21T18:00:00Z');
const known = ['minimal', 'border', 'third', 'fourth'];
let t: TestDb;

beforeAll(async () => {
  t = await openTestDb();
});
afterAll(() => t.close());

const rulesOf = async (id: number) =>
  await t.handle.db
    .selectFrom('subscribers')
    .select(['rules', 'unsubscribed_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('removeFromQuestion', () => {
  it('counts removals made at once', async () => {
    const { subscriber } = await addSubscriber(t.handle.db, { email: 'all@example.org', questions: known }, now);
    const results = await Promise.all(
      ['border', 'third', 'fourth'].map((question) =>
        removeFromQuestion(t.handle.db, { id: subscriber.id, question, known }, now),
      ),
    );
    expect(results.map((r) => r.unsubscribed)).toEqual([false, false, false]);
    expect(await rulesOf(subscriber.id)).toEqual({ rules: '{"questions":["minimal"]}', unsubscribed_at: null });
    // The last question: unsubscribed, at the time given.
    expect(await removeFromQuestion(t.handle.db, { id: subscriber.id, question: 'minimal', known }, now)).toEqual({
      id: subscriber.id,
      question: 'minimal',
      questions: [],
      unsubscribed: true,
    });
    expect((await rulesOf(subscriber.id)).unsubscribed_at).toBe(now.toISOString());
  });

  it('refuses an unknown subscriber, and one that does not receive the question', async () => {
    const { subscriber } = await addSubscriber(
      t.handle.db,
      { email: 'one@example.org', rules: '{"questions":["third"]}', questions: known },
      now,
    );
    const refused = (id: number, question: string) =>
      removeFromQuestion(t.handle.db, { id, question, known }, now).then(
        () => null,
        (error: unknown) => (error instanceof SubscriberError ? `${error.code}: ${error.message}` : String(error)),
      );
    expect(await refused(subscriber.id, 'border')).toBe(
      `not_found: subscriber ${subscriber.id} does not receive question border's alerts`,
    );
    expect(await refused(987_654, 'border')).toBe('not_found: no active subscriber with id 987654');
  });
});
