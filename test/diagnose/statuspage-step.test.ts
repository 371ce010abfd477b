import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep } from '../../src/diagnose/steps/index.js';
import type { StatuspageValue } from '../../src/diagnose/steps/statuspage.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { statuspageSummary } from '../helpers/statuspage.js';
import { context, step } from './helpers.js';

let page: RecordingServer;
beforeAll(async () => {
  page = await startRecordingServer();
});
afterAll(() => page.close());

describe('statuspage step', () => {
  it('passes when the indicator is none, reading /api/v2/summary.json', async () => {
    page.setHandler(() => ({ body: statuspageSummary({ indicator: 'none', description: 'All Systems Operational' }) }));
    const out = await runStep(step({ statuspage: `${page.url}/` }), context());
    expect(page.requests.at(-1)!.url).toBe('/api/v2/summary.json');
    expect(out).toMatchObject({ ok: true, statusCode: 200, output: 'Stripe: All Systems Operational (indicator: none)' });
  });

  it('fails when degraded, listing components not operational and unresolved incidents with their latest update', async () => {
    page.setHandler(() => ({ body: statuspageSummary({ indicator: 'minor', description: 'Partially Degraded Service', degraded: true }) }));
    const out = await runStep(step({ statuspage: page.url }), context());
    expect(out.ok).toBe(false);
    expect(out.error).toBe('status minor: Partially Degraded Service');
    expect(out.output.split('\n')).toEqual([
      'Stripe: Partially Degraded Service (indicator: minor)',
      'Components not operational:',
      '  API: degraded performance',
      '  Webhooks: partial outage',
      'Unresolved incidents:',
      '  Elevated API error rates (identified, impact minor)',
      '    2026-12-02T14:45:00.000Z identified: We have identified the cause of elevated errors on charge creation.',
    ]);
    expect((out.value as StatuspageValue).components).toEqual([
      { name: 'API', status: 'degraded_performance' },
      { name: 'Webhooks', status: 'partial_outage' },
    ]);
  });

  it('fails clearly on something that is not a Statuspage', async () => {
    page.setHandler(() => ({ status: 404, headers: { 'content-type': 'text/html' }, body: '<html>not here</html>' }));
    const out = await runStep(step({ statuspage: page.url }), context());
    expect(out).toMatchObject({ ok: false, statusCode: 404 });
    expect(out.error).toMatch(/answered HTTP 404 without a Statuspage summary/);
  });
});
