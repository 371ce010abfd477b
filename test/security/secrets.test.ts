import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { apiClient, eventually, freePort, launch, READY, writeConfig, type MedicProcess } from '../helpers/cluster.js';
import { startRecordingServer, type RecordedRequest, type RecordingServer } from '../helpers/recording-server.js';

/**
 * A known secret, given to medic.yaml through ${ENV}, used everywhere a config takes one: a failing
 * http monitor's Authorization header, a runbook step's environment (the step prints it) and an http
 * step's header, a remediation webhook's header, a notification channel's header. The services it is
 * sent to echo it back in their answers, as real ones do in error pages. Then every place Medic shows
 * or sends text is searched for it: every GET of the API (from its OpenAPI document) with the
 * incident's and monitor's ids, the postmortem, `medic run`, the process's log at debug level, and
 * the bodies of the delivered notifications. It must appear nowhere — in plain, URL-encoded or
 * JSON-escaped form — except in the requests that are meant to carry it.
 */

const SECRET = 'Tok3n+sEcReT/medic=9f8e7d6c';
/** The secret as text may carry it (plain, URL-encoded, JSON-escaped), and any 8 characters of it in a row: a part of it cut off by a preview is a leak too. */
const WHOLE = [SECRET, encodeURIComponent(SECRET), JSON.stringify(SECRET).slice(1, -1)];
const FORMS = [...WHOLE, ...Array.from({ length: SECRET.length - 7 }, (_, i) => SECRET.slice(i, i + 8))];

function leaks(where: string, text: string): string[] {
  const f = FORMS.find((form) => text.includes(form));
  return f === undefined ? [] : [`${where} contains ${JSON.stringify(f)}: …${text.slice(Math.max(0, text.indexOf(f) - 60), text.indexOf(f) + f.length + 20)}…`];
}

describe('a secret from the environment', () => {
  let medic: MedicProcess | undefined;
  const servers: RecordingServer[] = [];
  afterAll(async () => {
    await medic?.kill9();
    await Promise.all(servers.map((s) => s.close()));
  });

  it('never shows in the API, the postmortem, medic run, the log or a notification', async () => {
    // Every service here answers with what it was sent, the secret included.
    // The login page is a long one: the credential it echoes sits where a 200-character preview of the
    // body ends, so a preview cut before redaction would keep its first half (which no redactor knows).
    const echo = (req: RecordedRequest) => {
      const said = `${req.method} ${req.url} authorization=${req.headers.authorization ?? ''} key=${req.headers['x-api-key'] ?? ''} body=${req.body}`;
      if (req.url.startsWith('/login')) return { status: 200, body: `<html>${'.'.repeat(150)} ${said}</html>` };
      // A pager that fails, quoting the key it was sent where the 300 characters of its answer that a
      // failed delivery's reason quotes end.
      if (req.url.startsWith('/page')) return { status: 503, body: `${'.'.repeat(285)} key=${req.headers['x-api-key'] ?? ''}` };
      return { status: req.url.startsWith('/diag') ? 200 : 401, body: `denied: ${said}` };
    };
    const target = await startRecordingServer(echo);
    const hooks = await startRecordingServer(() => ({ status: 200, body: 'ok' }));
    servers.push(target, hooks);
    const port = await freePort();
    const { file } = writeConfig((folder) =>
      [
        `server: { port: ${port}, host: 127.0.0.1 }`,
        `storage: { url: "sqlite://${folder}/medic.db" }`,
        `monitors:`,
        `  - name: api-login`,
        `    service: api`,
        `    type: http`,
        `    url: "${target.url}/login"`,
        `    interval: 1s`,
        `    failure_threshold: 1`,
        `    headers: { Authorization: "Bearer \${MEDIC_TEST_SECRET}" }`,
        `    assert_status: 200`,
        `    assert_body_contains: Welcome back`,
        `runbooks:`,
        `  - name: api-diagnostics`,
        `    match: { service: api }`,
        `    steps:`,
        `      - { name: Print the token, run: 'echo "token is $API_TOKEN"; echo "done"', env: { API_TOKEN: "\${MEDIC_TEST_SECRET}" } }`,
        `      - { name: Ask the service, http: "${target.url}/diag", headers: { Authorization: "Bearer \${MEDIC_TEST_SECRET}" } }`,
        `remediation:`,
        `  - alert: api-login`,
        `    action: { type: webhook, url: "${target.url}/restart", headers: { Authorization: "Bearer \${MEDIC_TEST_SECRET}" }, body: '{"why":"medic"}', max_auto_attempts: 1, notify: [hook] }`,
        `notifications:`,
        `  - { name: hook, type: webhook, url: "${hooks.url}/notify", headers: { X-Api-Key: "\${MEDIC_TEST_SECRET}" } }`,
        `  - { name: pager, type: webhook, url: "${target.url}/page", headers: { X-Api-Key: "\${MEDIC_TEST_SECRET}" }, events: [opened] }`,
        `routes:\n  - { notify: [hook, pager] }`,
        `delivery: { max_attempts: 1 }`,
      ].join('\n'),
    );
    medic = await launch('medic', ['start', '-c', file], READY.all, { env: { MEDIC_TEST_SECRET: SECRET, MEDIC_LOG_LEVEL: 'debug' } });
    const client = apiClient(`http://127.0.0.1:${port}`);

    // The monitor fails, an incident opens, the runbook runs, the remediation fails and escalates.
    const incidents = await eventually('the incident', () => client.get<{ incidents: Array<{ id: number }> }>('/api/incidents'), (r) => r.body.incidents?.length === 1, 30_000, 200);
    const id = incidents.body.incidents[0]!.id;
    await eventually(
      'the runbook, the remediation and the escalation',
      async () => (await client.get<{ timeline: Array<{ type: string }> }>(`/api/incidents/${id}`)).body.timeline.map((e) => e.type),
      (types) => ['runbook_step_finished', 'remediation_finished', 'escalated', 'notification_failed'].every((t) => types.includes(t)),
      30_000,
      200,
    );
    await eventually('the notifications', async () => hooks.requests.length, (n) => n >= 3, 15_000, 100);
    await new Promise((r) => setTimeout(r, 1500));

    // The secret was used: the services got it where the config put it.
    expect(target.requests.some((r) => r.url === '/login' && r.headers.authorization === `Bearer ${SECRET}`)).toBe(true);
    expect(target.requests.some((r) => r.url === '/diag' && r.headers.authorization === `Bearer ${SECRET}`)).toBe(true);
    expect(target.requests.some((r) => r.url === '/restart' && r.headers.authorization === `Bearer ${SECRET}`)).toBe(true);
    expect(hooks.requests.every((r) => r.headers['x-api-key'] === SECRET)).toBe(true);
    expect(target.requests.some((r) => r.url === '/page' && r.headers['x-api-key'] === SECRET)).toBe(true);

    const found: string[] = [];
    // Every GET of the API, from its own OpenAPI document.
    const spec = await client.get<{ paths: Record<string, Record<string, unknown>> }>('/api/docs/json');
    expect(spec.status).toBe(200);
    const monitors = await client.get<{ monitors: Array<{ id: number; name: string }> }>('/api/monitors');
    const monitorId = monitors.body.monitors?.[0]?.id ?? 1;
    const fill = (p: string) =>
      p
        .replace(/\{id\}|:id\b/g, String(id))
        .replace(/\{(monitorId|monitor)\}|:monitor(Id)?\b/g, String(monitorId))
        .replace(/\{(name|service)\}|:(name|service)\b/g, 'api')
        .replace(/\{key\}|:key\b/g, 'none')
        .replace(/\{token\}|:token\b/g, 'none');
    const gets = Object.entries(spec.body.paths)
      .filter(([, ops]) => 'get' in ops)
      .map(([p]) => fill(p))
      .filter((p) => !/stream|events$|\/docs/.test(p));
    expect(gets.length).toBeGreaterThan(10);
    for (const p of gets) {
      const res = await fetch(`http://127.0.0.1:${port}${p}`, { headers: { authorization: `Bearer medic-test-admin-token-0123456789` }, signal: AbortSignal.timeout(5000) }).catch(() => undefined);
      if (res) found.push(...leaks(`GET ${p}`, await res.text()));
    }
    const postmortem = await client.get(`/api/incidents/${id}/postmortem`);
    expect(postmortem.status).toBe(200);
    expect(postmortem.text).toContain('api-login');
    found.push(...leaks('the postmortem', postmortem.text));

    // The notifications' bodies (their X-Api-Key header is where the secret belongs).
    for (const r of hooks.requests) found.push(...leaks(`notification ${r.url}`, r.body + JSON.stringify({ ...r.headers, 'x-api-key': undefined })));

    // medic run, as a person would type it (text and JSON).
    process.env.MEDIC_TEST_SECRET = SECRET;
    try {
      for (const args of [['run', 'api-login', '-c', file], ['run', 'api-login', '--json', '-c', file]]) {
        const r = await runCli(args);
        expect(r.code).toBe(1);
        found.push(...leaks(`medic ${args.join(' ')}`, r.stdout + r.stderr));
      }
    } finally {
      delete process.env.MEDIC_TEST_SECRET;
    }

    // The log, at debug level, and the stored config copy.
    found.push(...leaks('the log', medic.output()));
    expect(readFileSync(file, 'utf8')).not.toContain(SECRET);

    expect(found).toEqual([]);
  }, 60_000);
});
