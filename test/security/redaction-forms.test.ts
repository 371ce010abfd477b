import { afterAll, describe, expect, it } from 'vitest';
import { apiClient, eventually, freePort, launch, READY, writeConfig, type MedicProcess } from '../helpers/cluster.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

/**
 * Secrets in the forms a real runbook prints them: an all-digit account number, a value with a space
 * and a slash that a URL path carries URL-encoded (`ab%20c/def9`), and a password a step base64-encodes
 * alone and as a Basic credential. A real `medic start`: a failing monitor opens an incident, the
 * runbook runs, and its output is read back from the API and the log. No form may be there.
 */

const DIGITS = '739104628351';
const PATH = 'ab c/def9';
const PASS = 'q7Rt-92xLm';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const FORMS = [DIGITS, PATH, encodeURI(PATH), encodeURIComponent(PATH), PASS, b64(PASS).replace(/=+$/, ''), b64(`svc:${PASS}`)];

function leaks(where: string, text: string): string[] {
  const out = FORMS.filter((f) => text.includes(f)).map((f) => `${where} contains ${f}`);
  // Any base64 run in the text that decodes to something holding the password is a leak too.
  for (const run of text.match(/[A-Za-z0-9+/]{8,}={0,2}/g) ?? []) {
    for (let skip = 0; skip < 4; skip++) if (Buffer.from(run.slice(skip), 'base64').toString('latin1').includes(PASS.slice(0, 6))) out.push(`${where} decodes to the password: ${run}`);
  }
  return out;
}

describe('secrets printed by a runbook step', () => {
  let medic: MedicProcess | undefined;
  let target: RecordingServer | undefined;
  afterAll(async () => {
    await medic?.kill9();
    await target?.close();
  });

  it('are redacted from the timeline, the API and the log in their digit, URL-encoded and base64 forms', async () => {
    // The service is down; its /echo answers with the path it was asked for, as error pages do.
    target = await startRecordingServer((req) => (req.url.startsWith('/echo/') ? { status: 200, body: `you asked for ${req.url}` } : { status: 503, body: 'down' }));
    const port = await freePort();
    const { file } = writeConfig((folder) =>
      [
        `server: { port: ${port}, host: 127.0.0.1 }`,
        `storage: { url: "sqlite://${folder}/medic.db" }`,
        `monitors:`,
        `  - { name: api-health, service: api, type: http, url: "${target!.url}/health", interval: 1s, failure_threshold: 1 }`,
        `runbooks:`,
        `  - name: api-diagnostics`,
        `    match: { service: api }`,
        `    steps:`,
        `      - name: Account and credentials`,
        `        run: 'echo "account $ACCOUNT"; printf "%s" "$PASS" | base64; printf "svc:%s" "$PASS" | base64'`,
        `        env: { ACCOUNT: "\${MEDIC_T_DIGITS}", PASS: "\${MEDIC_T_PASS}" }`,
        `      - { name: Ask the service, http: "${target!.url}/echo/\${MEDIC_T_PATH}" }`,
      ].join('\n'),
    );
    medic = await launch('medic', ['start', '-c', file], READY.all, { env: { MEDIC_T_DIGITS: DIGITS, MEDIC_T_PATH: PATH, MEDIC_T_PASS: PASS, MEDIC_LOG_LEVEL: 'debug' } });
    const client = apiClient(`http://127.0.0.1:${port}`);

    const incidents = await eventually('the incident', () => client.get<{ incidents: Array<{ id: number }> }>('/api/incidents'), (r) => r.body.incidents?.length === 1, 30_000, 200);
    const id = incidents.body.incidents[0]!.id;
    type Event = { type: string; payload?: { step?: string; output?: string } };
    const detail = await eventually(
      'both runbook steps',
      () => client.get<{ timeline: Event[] }>(`/api/incidents/${id}`),
      (r) => r.body.timeline.filter((e) => e.type === 'runbook_step_finished').length === 2,
      30_000,
      200,
    );

    // The steps ran with the real values: the service was asked for the encoded path.
    expect(target.requests.some((r) => r.url === `/echo/${encodeURI(PATH)}`)).toBe(true);
    const outputs = detail.body.timeline.filter((e) => e.type === 'runbook_step_finished').map((e) => e.payload?.output ?? '');
    expect(outputs.join('\n')).toContain('account [REDACTED]');
    expect(outputs.join('\n')).toContain('you asked for /echo/[REDACTED]');
    // Three lines of base64 from the first step, each with its secret part replaced.
    expect(outputs.join('\n').match(/\[REDACTED\]/g)!.length).toBeGreaterThanOrEqual(4);

    const found = [
      ...leaks('GET /api/incidents/:id', detail.text),
      ...leaks('GET /api/incidents', (await client.get('/api/incidents')).text),
      ...leaks('the postmortem', (await client.get(`/api/incidents/${id}/postmortem`)).text),
      ...leaks('the log', medic.output()),
    ];
    expect(found).toEqual([]);
  }, 60_000);
});
