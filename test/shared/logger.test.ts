import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/config/index.js';
import { createLogger } from '../../src/shared/logger.js';

function capture(redactor: Redactor) {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d) => (text += d));
  const logger = createLogger({ redactor, destination: stream, pretty: false });
  return { logger, text: () => text };
}

describe('logger', () => {
  it('redacts secrets from messages, fields and errors', async () => {
    const redactor = new Redactor(['hunter2-secret', 'p@ss word']);
    const { logger, text } = capture(redactor);
    logger.info('token is hunter2-secret');
    logger.warn({ url: 'https://hooks.example/hunter2-secret', nested: { list: ['hunter2-secret'] } }, 'sending');
    logger.error({ err: new Error('POST https://x/hunter2-secret failed') }, 'webhook failed');
    logger.info({ url: 'https://user:p%40ss%20word@db/x' }, 'encoded form');
    await new Promise((r) => setTimeout(r, 10));
    const out = text();
    expect(out).not.toContain('hunter2-secret');
    expect(out).not.toContain('p%40ss%20word');
    expect(out.match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(5);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]!.msg).toBe('token is [REDACTED]');
    expect(lines[1]).toMatchObject({ url: 'https://hooks.example/[REDACTED]', nested: { list: ['[REDACTED]'] } });
  });

  it('leaves short or numeric values alone so ordinary text survives', () => {
    const r = new Redactor(['8080', 'on', 'true']);
    expect(r.redact('port 8080 on true')).toBe('port 8080 on true');
  });

  it('works without a redactor (the demo and library callers create one so)', async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (d) => (text += d));
    const logger = createLogger({ destination: stream, pretty: false });
    logger.child({ role: 'worker' }).info({ n: 1 }, 'plain');
    await new Promise((r) => setTimeout(r, 10));
    expect(JSON.parse(text.trim())).toMatchObject({ msg: 'plain', n: 1, role: 'worker' });
  });
});
