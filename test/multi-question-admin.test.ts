// The admin API of an instance tracking several questions (PACKS): each question has its own resolutions route,
// /api/v1/questions/ID/admin/resolutions, behind the same guard; /api/v1/admin/resolutions stays the default
// question's; each question lists, adds and removes its own subscribers; an unknown question is a 404 naming it, and the
// instance's own admin actions (feeds, ingestion) stay instance-wide.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connect.ts';
import { startTwoQuestions, type TwoQuestions } from './helpers/two-questions.ts';
import { waitFor } from './helpers/local-wire.ts';

const TOKEN = 'admin-token-0123456789abcdef';
const auth = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
let two: TwoQuestions;

beforeAll(async () => {
  two = await startTwoQuestions({ env: { ADMIN_TOKEN: TOKEN } });
}, 60_000);
afterAll(async () => {
  await two?.close();
});

interface Scenarios {
  scenarios: { id: string; probability: number; resolution: { outcome: string; resolvedBy: string } | null }[];
}
const post = (p: string, body: unknown, headers: Record<string, string> = auth) =>
  two.get(p, { method: 'POST', body: JSON.stringify(body), headers });
/** POST /api/v1/questions/QID/admin/resolutions. */
const resolve = (qid: string, body: unknown, headers: Record<string, string> = auth) =>
  post(`/api/v1/questions/${qid}/admin/resolutions`, body, headers);
const scenarios = async (p: string) => ((await (await two.get(p)).json()) as Scenarios).scenarios;
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe("each question's admin resolutions", () => {
  it('records a resolution of the question the path names, and recomputes that question', async () => {
    expect((await resolve('border', { scenario: 'deal', outcome: 'no' }, {})).status).toBe(401);
    const res = await resolve('border', { scenario: 'deal', outcome: 'no' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      question: 'border',
      scenario: 'deal',
      outcome: 'no',
      resolvedBy: 'admin',
      recomputed: true,
    });
    const border = await scenarios('/api/v1/questions/border/scenarios');
    expect(border.find((s) => s.id === 'deal')!.resolution).toMatchObject({ outcome: 'no', resolvedBy: 'admin' });
    // The recompute forecast the border question again: deal resolved no is 0 from now on.
    expect(border.find((s) => s.id === 'deal')!.probability).toBe(0);
    // The default question is untouched.
    const minimal = await scenarios('/api/v1/scenarios');
    expect(minimal.every((s) => s.resolution === null)).toBe(true);
    expect(minimal.find((s) => s.id === 'deal')!.probability).toBeGreaterThan(0);
  });

  it('refuses a second resolution (409) unless replace, per question', async () => {
    const again = await resolve('border', { scenario: 'deal', outcome: 'yes' });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe('already_resolved');
    const replaced = await resolve('border', {
      scenario: 'deal',
      outcome: 'no',
      note: 'replaced',
      replace: true,
    });
    expect(replaced.status).toBe(201);
    const bad = await resolve('border', { scenario: 'nope', outcome: 'no' });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toBe('scenario: expected one of deal, frozen, collapse');
  });

  it('keeps /api/v1/admin/resolutions on the default question, and the default has its own path too', async () => {
    const res = await post('/api/v1/admin/resolutions', { scenario: 'frozen', outcome: 'no' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ question: 'minimal', scenario: 'frozen' });
    expect((await scenarios('/api/v1/scenarios')).find((s) => s.id === 'frozen')!.resolution?.outcome).toBe('no');
    expect(
      (await scenarios('/api/v1/questions/border/scenarios')).find((s) => s.id === 'frozen')!.resolution,
    ).toBeNull();
    const same = await resolve('minimal', { scenario: 'frozen', outcome: 'no' });
    expect(same.status).toBe(409);
  });

  it('answers an unknown question with a 404 naming it, behind the guard', async () => {
    expect((await resolve('nope', { scenario: 'deal', outcome: 'no' }, {})).status).toBe(401);
    const res = await resolve('nope', { scenario: 'deal', outcome: 'no' });
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toEqual({
      code: 'not_found',
      message: 'unknown question "nope" (this instance tracks minimal, border)',
    });
    const feeds = await two.get('/api/v1/questions/nope/admin/feeds', { headers: auth });
    expect(feeds.status).toBe(404);
    expect((await errorOf(feeds)).message).toContain('"nope"');
  });

  it("sends the instance's admin actions to /api/v1/admin, refuses cross-site requests and opens no CORS", async () => {
    const feeds = await two.get('/api/v1/questions/border/admin/feeds', { headers: auth });
    expect(feeds.status).toBe(404);
    expect((await errorOf(feeds)).message).toContain(
      "feeds, ingestion and unsubscribing from every question are the instance's",
    );
    expect((await two.get('/api/v1/questions/border/admin/feeds')).status).toBe(401);
    const cross = await resolve(
      'border',
      { scenario: 'collapse', outcome: 'no' },
      { ...auth, Origin: 'https://evil.example' },
    );
    expect(cross.status).toBe(403);
    expect(cross.headers.get('access-control-allow-origin')).toBeNull();
    // The public API of the question keeps its open CORS.
    const open = await two.get('/api/v1/questions/border/scenarios', { headers: { Origin: 'https://a.example' } });
    expect(open.headers.get('access-control-allow-origin')).toBe('*');
  });

  it("adds subscribers limited to the question, and lists who receives each question's alerts", async () => {
    const everyone = await post('/api/v1/admin/subscribers', { email: 'all@example.org' });
    expect(everyone.status).toBe(201);
    const res = await post('/api/v1/questions/border/admin/subscribers', {
      email: 'Border@Example.org',
      rules: { kinds: ['probability_move'] },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ email: 'border@example.org', token: expect.any(String) });
    const hook = await post('/api/v1/questions/border/admin/subscribers', {
      webhook: { url: 'https://hooks.example/border', format: 'webhook' },
    });
    expect(hook.status).toBe(201);
    expect((await hook.json()) as { secret: string }).toMatchObject({ channel: 'webhook', secret: expect.any(String) });
    const handle = openDatabase(two.database.target);
    try {
      const rows = await handle.db.selectFrom('subscribers').select(['email', 'rules']).orderBy('id').execute();
      expect(rows.find((r) => r.email === 'border@example.org')!.rules).toBe(
        '{"kinds":["probability_move"],"questions":["border"]}',
      );
    } finally {
      await handle.close();
    }
    const listed = async (qid: string) => {
      const r = await two.get(`/api/v1/questions/${qid}/admin/subscribers`, { headers: auth });
      expect(r.status).toBe(200);
      const body = (await r.json()) as { question: string; subscribers: { email: string; channel: string }[] };
      expect(body.question).toBe(qid);
      return body.subscribers.map((x) => x.channel);
    };
    expect(await listed('border')).toEqual(['email', 'email', 'webhook']);
    expect(await listed('minimal')).toEqual(['email']);
    // The path names the question: a questions rule beside it is refused; an unknown question is a 404.
    const clash = await post('/api/v1/questions/border/admin/subscribers', {
      email: 'x@example.org',
      rules: { questions: ['minimal'] },
    });
    expect(clash.status).toBe(400);
    expect((await errorOf(clash)).code).toBe('invalid_rules');
    const exists = await post('/api/v1/questions/minimal/admin/subscribers', { email: 'border@example.org' });
    expect(exists.status).toBe(409);
    const unknown = await post('/api/v1/questions/nope/admin/subscribers', { email: 'y@example.org' });
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).message).toContain('unknown question "nope"');
    expect((await two.get('/api/v1/questions/border/admin/subscribers')).status).toBe(401);
  });

  it('removes a subscriber from one question, keeping its others; with none left it is unsubscribed', async () => {
    const del = (qid: string, id: number | string, headers: Record<string, string> = auth) =>
      two.get(`/api/v1/questions/${qid}/admin/subscribers/${id}`, { method: 'DELETE', headers });
    const all = (await (await two.get('/api/v1/admin/subscribers', { headers: auth })).json()) as {
      subscribers: { id: number; email: string; unsubscribed_at: string | null }[];
    };
    const idOf = (email: string) => all.subscribers.find((s) => s.email === email)!.id;
    const receives = async (qid: string) =>
      (
        (await (await two.get(`/api/v1/questions/${qid}/admin/subscribers`, { headers: auth })).json()) as {
          subscribers: { email: string }[];
        }
      ).subscribers.map((s) => s.email);
    const stored = async (id: number) => {
      const handle = openDatabase(two.database.target);
      try {
        return await handle.db
          .selectFrom('subscribers')
          .select(['rules', 'unsubscribed_at'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
      } finally {
        await handle.close();
      }
    };
    const everyone = idOf('all@example.org');
    expect((await del('border', everyone, {})).status).toBe(401);
    expect((await del('nope', everyone, {})).status).toBe(401);
    // The question is checked first (after the token), then the subscriber.
    const unknown = await del('nope', 999_999);
    expect(unknown.status).toBe(404);
    expect(await errorOf(unknown)).toEqual({
      code: 'not_found',
      message: 'unknown question "nope" (this instance tracks minimal, border)',
    });
    const nobody = await del('border', 999_999);
    expect(nobody.status).toBe(404);
    expect((await errorOf(nobody)).message).toBe('no active subscriber with id 999999');
    expect((await errorOf(await del('border', '0x10'))).code).toBe('bad_id');

    // A subscriber to every question keeps the others (its rule now names them).
    const res = await del('border', everyone);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: everyone, question: 'border', questions: ['minimal'], unsubscribed: false });
    expect(await stored(everyone)).toEqual({ rules: '{"questions":["minimal"]}', unsubscribed_at: null });
    expect(await receives('border')).not.toContain('all@example.org');
    expect(await receives('minimal')).toContain('all@example.org');
    const again = await del('border', everyone);
    expect(again.status).toBe(404);
    expect((await errorOf(again)).message).toBe(`subscriber ${everyone} does not receive question border's alerts`);

    // One limited to this question has none left: unsubscribed, its other rules kept.
    const limited = idOf('border@example.org');
    expect(await (await del('border', limited)).json()).toEqual({
      id: limited,
      question: 'border',
      questions: [],
      unsubscribed: true,
    });
    const row = await stored(limited);
    expect(row.rules).toBe('{"kinds":["probability_move"],"questions":["border"]}');
    expect(row.unsubscribed_at).not.toBeNull();
    expect(await receives('border')).not.toContain('border@example.org');
    expect((await del('minimal', limited)).status).toBe(404);

    // An admin keeps the instance's own alerts (feeds failing): still subscribed, to no question.
    const admin = await post('/api/v1/questions/border/admin/subscribers', { email: 'ops@example.org', admin: true });
    const adminId = ((await admin.json()) as { id: number }).id;
    expect(await (await del('border', adminId)).json()).toMatchObject({ questions: [], unsubscribed: false });
    expect(await stored(adminId)).toEqual({ rules: '{"questions":[]}', unsubscribed_at: null });
    expect(await receives('border')).not.toContain('ops@example.org');
    expect(await receives('minimal')).not.toContain('ops@example.org');
  });

  it('lets the resolved question close: resolved yes, it leaves the live questions', async () => {
    const res = await resolve('border', { scenario: 'collapse', outcome: 'yes' });
    expect(res.status).toBe(201);
    await waitFor(async () => {
      const { questions } = (await (await two.get('/api/v1/questions')).json()) as {
        questions: { id: string; closed: boolean; outcome: string | null }[];
      };
      const border = questions.find((q) => q.id === 'border')!;
      return border.closed && border.outcome === 'collapse' ? border : null;
    }, 10_000);
  });
});
