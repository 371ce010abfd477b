import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBodyContains, assertBodyMatches, assertHeader, assertJsonPath, assertLoadTime, assertStatus, evaluateAssertions, preview } from '../../../src/detect/checks/assertions.js';
import { ResponseBody } from '../../../src/detect/checks/body.js';
import { runCheck } from '../../../src/detect/checks/index.js';
import { json, startHttpTarget, type HttpTarget } from '../../helpers/http-target.js';
import { checkContext, parseMonitor } from '../../helpers/monitors.js';

const body = (value: unknown) => new ResponseBody(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), false);
const doc = body({ status: 'ok', count: 12, version: '2.4.1', items: [{ price: 5 }, { price: 50 }], auth: { token: 'secret-token-value' }, nothing: null });

describe('assert_status', () => {
  it('passes when the status is in any range', () => {
    expect(assertStatus([{ min: 200, max: 200 }, { min: 301, max: 302 }], 302)).toEqual({ name: 'status', pass: true, expected: '200 or 301-302', actual: '302' });
  });
  it('fails outside every range', () => {
    expect(assertStatus([{ min: 200, max: 299 }], 500)).toEqual({ name: 'status', pass: false, expected: '200-299', actual: '500' });
  });
});

describe('assert_load_time_ms', () => {
  it('passes at or under the limit', () => {
    expect(assertLoadTime(2000, 153.2)).toEqual({ name: 'load_time', pass: true, expected: '≤ 2000 ms', actual: '153.2 ms' });
  });
  it('fails over the limit', () => {
    expect(assertLoadTime(100, 100.1)).toMatchObject({ pass: false, actual: '100.1 ms' });
  });
});

describe('assert_json_path', () => {
  it('a bare path passes when it matches, even a null', () => {
    expect(assertJsonPath('$.status', doc)).toEqual({ name: 'json_path $.status', pass: true, expected: 'a match', actual: 'ok' });
    expect(assertJsonPath('$.nothing', doc)).toMatchObject({ pass: true, actual: 'null' });
  });
  it('a bare path fails when nothing matches', () => {
    expect(assertJsonPath('$.missing', doc)).toEqual({ name: 'json_path $.missing', pass: false, expected: 'a match', actual: 'no match' });
  });
  it('equals compares values, scalars by their text', () => {
    expect(assertJsonPath({ path: '$.status', equals: 'ok' }, doc)).toMatchObject({ pass: true, expected: '== "ok"' });
    expect(assertJsonPath({ path: '$.count', equals: '12' }, doc)).toMatchObject({ pass: true });
    expect(assertJsonPath({ path: '$.items[0]', equals: { price: 5 } }, doc)).toMatchObject({ pass: true });
    expect(assertJsonPath({ path: '$.status', equals: 'degraded' }, doc)).toMatchObject({ pass: false, actual: 'ok' });
  });
  it('matches tests a regular expression', () => {
    expect(assertJsonPath({ path: '$.version', matches: '^2\\.' }, doc)).toMatchObject({ pass: true, expected: 'matches /^2\\./' });
    expect(assertJsonPath({ path: '$.version', matches: '^3\\.' }, doc)).toMatchObject({ pass: false, actual: '2.4.1' });
  });
  it('gt and lt compare numbers, and every matched value must satisfy them', () => {
    expect(assertJsonPath({ path: '$.count', gt: 10, lt: 20 }, doc)).toMatchObject({ pass: true, expected: '> 10 and < 20' });
    expect(assertJsonPath({ path: '$.count', gt: 12 }, doc)).toMatchObject({ pass: false, actual: '12' });
    expect(assertJsonPath({ path: '$.items[*].price', lt: 100 }, doc)).toMatchObject({ pass: true, actual: '[5,50]' });
    expect(assertJsonPath({ path: '$.items[*].price', lt: 10 }, doc)).toMatchObject({ pass: false });
    expect(assertJsonPath({ path: '$.status', gt: 1 }, doc)).toMatchObject({ pass: false });
  });
  it('fails with the reason when the body is not JSON', () => {
    expect(assertJsonPath('$.a', body('<html>oops</html>'))).toMatchObject({ pass: false, actual: expect.stringMatching(/^response is not JSON: /) });
    expect(assertJsonPath('$.a', ResponseBody.empty)).toMatchObject({ pass: false, actual: 'response is not JSON: the body is empty' });
  });
  it('masks values at credential-like paths', () => {
    expect(assertJsonPath('$.auth.token', doc)).toMatchObject({ pass: true, actual: '[masked, 18 chars]' });
  });
});

describe('assert_body_contains and assert_body_matches', () => {
  const page = body('<html><title>Shop</title><p>All systems operational</p></html>');
  it('contains passes with the text in context', () => {
    const r = assertBodyContains('operational', page);
    expect(r).toMatchObject({ name: 'body_contains "operational"', pass: true, expected: 'contains "operational"' });
    expect(r.actual).toContain('All systems operational');
  });
  it('contains fails showing the start of the body', () => {
    expect(assertBodyContains('maintenance', page)).toMatchObject({ pass: false, actual: `not found in ${page.size} bytes: <html><title>Shop</title><p>All systems operational</p></html>` });
  });
  it('matches passes and fails on a regular expression', () => {
    expect(assertBodyMatches('<title>\\w+</title>', page)).toMatchObject({ name: 'body_matches /<title>\\w+</title>/', pass: true });
    expect(assertBodyMatches('error \\d+', page)).toMatchObject({ pass: false, expected: 'matches /error \\d+/' });
  });
  it('truncates long actual values', () => {
    const long = body('x'.repeat(5000));
    const r = assertBodyContains('y', long);
    expect(r.actual.length).toBeLessThan(300);
    expect(r.actual).toMatch(/… \(5000 chars\)$/);
    expect(preview('a\n  b')).toBe('a b');
  });
});

describe('what assertions show of a response that echoes a secret', () => {
  const secret = 'Tok3n+sEcReT/medic=9f8e7d6c';
  const redact = (t: string) => t.replaceAll(secret, '[REDACTED]');
  // The secret starts a few characters before the 200-character preview ends.
  const body = new ResponseBody(Buffer.from(`${'.'.repeat(190)} ${secret} and more`), false);

  it('cuts the preview after redacting, so no part of the secret is left', () => {
    const failed = assertBodyContains('Welcome', body, redact);
    expect(failed.pass).toBe(false);
    expect(failed.actual).toContain('[REDACT');
    expect(failed.actual).not.toContain(secret.slice(0, 5));
    // Without a redactor the cut keeps the secret's first characters: what the redaction prevents.
    expect(assertBodyContains('Welcome', body).actual).toContain(secret.slice(0, 5));
  });

  it('shows the excerpt around a match from the redacted body', () => {
    const passed = assertBodyContains('and more', body, redact);
    expect(passed).toMatchObject({ pass: true });
    expect(passed.actual).toContain('[REDACTED] and more');
    expect(assertBodyMatches('and m.re', body, redact).actual).toContain('[REDACTED] and more');
  });
});

describe('assert_header', () => {
  const headers = { 'content-type': 'application/json; charset=utf-8', 'x-version': '2.4.1', 'set-cookie': ['a=1', 'b=2'] };
  it('compares exactly, with case-insensitive names', () => {
    expect(assertHeader('X-Version', '2.4.1', headers)).toEqual({ name: 'header x-version', pass: true, expected: '"2.4.1"', actual: '"2.4.1"' });
    expect(assertHeader('x-version', '2.4', headers)).toMatchObject({ pass: false, actual: '"2.4.1"' });
  });
  it('treats /…/ as a regular expression', () => {
    expect(assertHeader('content-type', '/^application\\/json/', headers)).toMatchObject({ pass: true, expected: 'matches /^application\\/json/' });
    expect(assertHeader('content-type', '/^text\\//', headers)).toMatchObject({ pass: false });
  });
  it('fails on a missing header and on an invalid pattern', () => {
    expect(assertHeader('x-missing', 'a', headers)).toMatchObject({ pass: false, actual: '(header missing)' });
    expect(assertHeader('x-version', '/(/', headers)).toMatchObject({ pass: false, actual: expect.stringMatching(/^invalid regular expression/) });
  });
  it('joins repeated headers', () => {
    expect(assertHeader('set-cookie', 'a=1, b=2', headers)).toMatchObject({ pass: true });
  });
});

describe('every assertion through a real HTTP check', () => {
  let target: HttpTarget;
  beforeAll(async () => {
    target = await startHttpTarget({ '/health': (_req, res) => json(res, 200, { status: 'ok', db: { latency_ms: 3 } }, { 'x-version': '2.4.1' }) });
  });
  afterAll(() => target.close());

  it('passes when all hold', async () => {
    const m = parseMonitor('http', {
      url: target.url('/health'),
      assert_status: [200, '201-204'],
      assert_load_time_ms: 10_000,
      assert_json_path: ['$.status', { path: '$.db.latency_ms', lt: 100 }],
      assert_body_contains: ['"status"'],
      assert_body_matches: '"db":\\s*\\{',
      assert_header: { 'x-version': '/^2\\./', 'content-type': 'application/json' },
    });
    const outcome = await runCheck(m, checkContext());
    expect(outcome.assertions.map((a) => [a.name, a.pass])).toEqual([
      ['status', true],
      ['load_time', true],
      ['json_path $.status', true],
      ['json_path $.db.latency_ms', true],
      ['body_contains "\\"status\\""', true],
      ['body_matches /"db":\\s*\\{/', true],
      ['header x-version', true],
      ['header content-type', true],
    ]);
    expect(outcome.status).toBe('up');
  });

  it('is down with the first failed assertion as error, and still reports the others', async () => {
    const m = parseMonitor('http', { url: target.url('/health'), assert_json_path: { path: '$.status', equals: 'degraded' }, assert_header: { 'x-version': '3.0.0' } });
    const outcome = await runCheck(m, checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.error).toBe('json_path $.status: expected == "degraded", got ok');
    expect(outcome.assertions.filter((a) => !a.pass).map((a) => a.name)).toEqual(['json_path $.status', 'header x-version']);
  });

  it('evaluateAssertions adds the default status assertion first', () => {
    const results = evaluateAssertions({}, { statusCode: 204, headers: {}, body: ResponseBody.empty, elapsedMs: 1 });
    expect(results).toEqual([{ name: 'status', pass: true, expected: '200-399 (default)', actual: '204' }]);
  });
});
