/**
 * Integration tests of the bearer token on POST /api/stream and of POST /api/auth, which sets it at
 * runtime: the real lab server on node:http, Node's fetch as the client.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { post, readPost, requestJson, streamStatus, TICKER_BODY } from './stream-post-support.ts';
import { errorOf, range, runCleanups, seqs, SseStream, startLab } from './test-support.ts';

afterEach(async () => {
  await runCleanups();
});

// ---------------------------------------------------------------------------------------------------

describe('bearer token', () => {
  it('without Authorization → 401 JSON naming the header, with WWW-Authenticate', async () => {
    const { http, lab } = await startLab({ token: 's3cret' });
    const answer = await post(`${http}/api/stream`, TICKER_BODY);
    expect(answer.status).toBe(401);
    expect(errorOf(answer.body)).toContain('Authorization');
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    expect(lab.stats().unauthorized).toBe(1);
    expect(lab.stats().opened.fetch).toBe(0);
  });

  it('a wrong token → 401 saying it is wrong', async () => {
    const { http, lab } = await startLab({ token: 's3cret' });
    for (const authorization of ['Bearer nope', 'Bearer s3cret2', 'Basic czNjcmV0', 's3cret']) {
      const answer = await post(`${http}/api/stream`, TICKER_BODY, { Authorization: authorization });
      expect(answer.status, authorization).toBe(401);
      expect(errorOf(answer.body)).toContain('wrong');
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    }
    expect(lab.stats().unauthorized).toBe(4);
  });

  it('the right token → the stream; unauthorized counts only the refusals', async () => {
    const { http, lab } = await startLab({ token: 's3cret' });
    await post(`${http}/api/stream`, TICKER_BODY);
    const stream = await readPost(`${http}/api/stream`, TICKER_BODY, { Authorization: 'Bearer s3cret' });
    expect(seqs(stream.frames)).toEqual(range(1, 30));
    expect(stream.done).toEqual({ type: 'done', total: 30 });
    expect(lab.stats().unauthorized).toBe(1);
    expect(lab.stats().opened.fetch).toBe(1);
  });

  it('is checked before the body: a bad body without a token is still 401', async () => {
    const { http, lab } = await startLab({ token: 's3cret' });
    const answer = await post(`${http}/api/stream`, '{not json');
    expect(answer.status).toBe(401);
    expect(lab.stats().unauthorized).toBe(1);
  });

  it('guards POST /api/stream only: GET /api/sse streams without one', async () => {
    const { http } = await startLab({ token: 's3cret' });
    const got = await SseStream.open(`${http}/api/sse?scenario=ticker&rate=1000&count=3`);
    await got.finished;
    expect(got.response.status).toBe(200);
    expect(seqs(got.frames)).toEqual([1, 2, 3]);
  });
});

describe('POST /api/auth', () => {
  it('{"token":"x"} turns auth on at runtime, {"token":null} off again', async () => {
    const { http, lab } = await startLab();
    const info = async () => ((await requestJson(`${http}/api/info`)).body as { auth: { required: boolean } }).auth;
    expect(await info()).toEqual({ required: false });
    expect(await streamStatus(http, { ...TICKER_BODY, params: { count: 1 } })).toBe(200);

    expect(await post(`${http}/api/auth`, { token: 'x' })).toMatchObject({ status: 200, body: { ok: true, required: true } });
    expect(await info()).toEqual({ required: true });
    expect((await post(`${http}/api/stream`, TICKER_BODY)).status).toBe(401);
    const authed = await readPost(`${http}/api/stream`, TICKER_BODY, { Authorization: 'Bearer x' });
    expect(seqs(authed.frames)).toEqual(range(1, 30));

    // Clearing an active token takes that token: without it (any page could try), 401 and nothing changes.
    expect(await post(`${http}/api/auth`, { token: null })).toMatchObject({ status: 401 });
    expect(await info()).toEqual({ required: true });
    expect(await post(`${http}/api/auth`, { token: null }, { Authorization: 'Bearer x' })).toMatchObject({
      status: 200,
      body: { ok: true, required: false },
    });
    expect(await info()).toEqual({ required: false });
    const open = await readPost(`${http}/api/stream`, TICKER_BODY);
    expect(seqs(open.frames)).toEqual(range(1, 30));
    expect(lab.stats().unauthorized).toBe(2);
  });

  it('replaces a token given at start', async () => {
    const { http } = await startLab({ token: 'old' });
    const refused = await post(`${http}/api/auth`, { token: 'new' }, { Authorization: 'Bearer wrong' });
    expect(refused).toMatchObject({ status: 401, body: { error: expect.stringMatching(/current token/) as unknown } });
    expect(await post(`${http}/api/auth`, { token: 'new' }, { Authorization: 'Bearer old' })).toMatchObject({ status: 200 });
    expect((await post(`${http}/api/stream`, TICKER_BODY, { Authorization: 'Bearer old' })).status).toBe(401);
    const stream = await readPost(`${http}/api/stream`, TICKER_BODY, { Authorization: 'Bearer new' });
    expect(stream.done).toEqual({ type: 'done', total: 30 });
  });

  it.each([
    ['not JSON', '{"token":', 'not valid JSON'],
    ['no token', {}, 'send {"token"'],
    ['a number', { token: 5 }, 'send {"token"'],
    ['an empty token', { token: '' }, 'send {"token"'],
    ['a token with a space', { token: 'a b' }, 'send {"token"'],
    ['a token over 200 characters', { token: 'x'.repeat(201) }, 'send {"token"'],
    ['an array', [{ token: 'x' }], 'send {"token"'],
  ])('%s → 400 JSON and auth stays as it was', async (_what, body, message) => {
    const { http } = await startLab();
    const answer = await post(`${http}/api/auth`, body);
    expect(answer.status).toBe(400);
    expect(errorOf(answer.body)).toContain(message);
    expect(await streamStatus(http, { ...TICKER_BODY, params: { count: 1 } })).toBe(200);
  });

  it('GET /api/auth → 405 with Allow: POST', async () => {
    const { http } = await startLab();
    const answer = await requestJson(`${http}/api/auth`);
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST');
  });
});
