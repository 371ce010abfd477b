import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, loadConfigText, type ConfigProblem } from '../../src/config/index.js';

/** Loads text expected to be invalid and returns its problems. */
function problems(text: string, env: NodeJS.ProcessEnv = {}): ConfigProblem[] {
  try {
    loadConfigText(text, { file: 'medic.yaml', env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected the config to be rejected');
}

function only(text: string, env: NodeJS.ProcessEnv = {}): ConfigProblem {
  const list = problems(text, env);
  expect(list, JSON.stringify(list, null, 2)).toHaveLength(1);
  return list[0]!;
}

describe('config errors name file, line, column and key path', () => {
  it('a wrong type in a nested step', () => {
    const p = only(`monitors:
  - name: login
    type: multi-step
    steps:
      - url: "http://127.0.0.1/a"
      - url: "http://127.0.0.1/b"
        assert_status: "two hundred"
`);
    expect(p).toMatchObject({ file: 'medic.yaml', line: 7, column: 24, path: 'monitors[0].steps[1].assert_status' });
    expect(p.message).toMatch(/^expected number.*got "two hundred"$/);
  });

  it('an unknown key, with a did-you-mean hint pointing at the key', () => {
    const p = only(`monitors:
  - name: login
    url: "http://127.0.0.1/"
    asert_status: 200
`);
    expect(p).toMatchObject({ line: 4, column: 5, path: 'monitors[0].asert_status' });
    expect(p.message).toBe('unknown key "asert_status" (did you mean "assert_status"?)');
  });

  it('an unknown top-level section', () => {
    const p = only(`monitor:\n  - name: x\n`);
    expect(p).toMatchObject({ line: 1, column: 1, path: 'monitor', message: 'unknown key "monitor" (did you mean "monitors"?)' });
  });

  it('a malformed duration', () => {
    const p = only(`monitors:\n  - name: x\n    url: "http://127.0.0.1/"\n    interval: 5 minutes\n`);
    expect(p).toMatchObject({ line: 4, column: 15, path: 'monitors[0].interval' });
    expect(p.message).toMatch(/expected a duration.*got "5 minutes"/);
  });

  it('a percentage out of range', () => {
    const p = only(`verification:\n  max_error_rate: 150%\n`);
    expect(p).toMatchObject({ line: 2, column: 19, path: 'verification.max_error_rate' });
    expect(p.message).toMatch(/expected a percentage/);
  });

  it('an unknown monitor type', () => {
    const p = only(`monitors:\n  - name: x\n    type: htp\n    url: "http://127.0.0.1/"\n`);
    expect(p).toMatchObject({ line: 3, path: 'monitors[0].type' });
    expect(p.message).toMatch(/one of http, multi-step, tcp, dns, tls, heartbeat, got "htp"/);
  });

  it('a missing required key', () => {
    const p = only(`monitors:\n  - name: db\n    type: tcp\n    host: 127.0.0.1\n`);
    expect(p).toMatchObject({ line: 2, column: 5, path: 'monitors[0].port' });
    expect(p.message).toMatch(/missing required key/);
  });

  it('an invalid URL', () => {
    const p = only(`monitors:\n  - name: x\n    url: not a url\n`);
    expect(p).toMatchObject({ line: 3, column: 10, path: 'monitors[0].url' });
    expect(p.message).toMatch(/expected an absolute URL/);
  });

  it('an invalid severity', () => {
    const p = only(`alerts:\n  - { name: a, service: s, type: latency, severity: urgent }\n`);
    expect(p).toMatchObject({ line: 2, path: 'alerts[0].severity' });
    expect(p.message).toMatch(/expected one of P1, P2, P3, P4, got "urgent"/);
  });

  it('an invalid condition', () => {
    const p = only(`alerts:\n  - name: a\n    service: s\n    type: error_rate\n    condition: "error_rate >> 5%"\n`);
    expect(p).toMatchObject({ line: 5, column: 16, path: 'alerts[0].condition' });
  });

  it('an invalid regular expression', () => {
    const p = only(`monitors:\n  - name: x\n    url: "http://127.0.0.1/"\n    assert_body_matches: "(unclosed"\n`);
    expect(p).toMatchObject({ line: 4, path: 'monitors[0].assert_body_matches' });
    expect(p.message).toMatch(/invalid regular expression/);
  });

  it('an unknown remediation action type', () => {
    const p = only(`remediation:\n  - alert: a\n    action: { type: restart_everything }\n`);
    expect(p).toMatchObject({ line: 3, path: 'remediation[0].action.type' });
    expect(p.message).toMatch(/expected action type to be one of .*kubernetes_rollout_restart/);
  });

  it('a runbook step with no kind, and one with two', () => {
    const list = problems(`runbooks:\n  - name: r\n    steps:\n      - { name: a, timeout: 5s }\n      - { name: b, run: "true", http: "http://127.0.0.1/" }\n`);
    expect(list.map((p) => [p.line, p.path])).toEqual([
      [4, 'runbooks[0].steps[0]'],
      [5, 'runbooks[0].steps[1]'],
    ]);
    expect(list[0]!.message).toMatch(/needs one of run, http, prometheus, tcp/);
    expect(list[1]!.message).toMatch(/only one of .*got run and http/);
  });

  it('an unknown key inside a runbook step', () => {
    const p = only(`runbooks:\n  - name: r\n    steps:\n      - { name: a, run: "true", timout: 5s }\n`);
    expect(p).toMatchObject({ line: 4, path: 'runbooks[0].steps[0].timout', message: 'unknown key "timout" (did you mean "timeout"?)' });
  });

  it('a notify channel that does not exist', () => {
    const p = only(`notifications:\n  - { name: "#payments-team", type: slack, webhook_url: "https://hooks.example/x" }\nremediation:\n  - alert: a\n    action: { type: run, command: "true", notify: ["#payment-team"] }\n`);
    expect(p).toMatchObject({ line: 5, path: 'remediation[0].action.notify[0]' });
    expect(p.message).toMatch(/unknown notification channel "#payment-team" \(did you mean "#payments-team"\?\)/);
  });

  it('a flag whose variants cannot serve it on and off', () => {
    const list = problems(`flags:\n  - key: theme\n    type: string\n    variants: { dark: "#000", light: "#fff" }\n`);
    expect(list.map((p) => p.path)).toEqual(['flags[0].default_variant', 'flags[0].off_variant']);
    expect(list[0]!.message).toMatch(/no "on".*default_variant.*dark, light/);
    expect(list[0]!.line).toBe(2);
    // Naming them fixes it; so do variants called on and off.
    expect(() => loadConfigText(`flags:\n  - { key: theme, type: string, variants: { dark: "#000", light: "#fff" }, default_variant: dark, off_variant: light }\n`, { env: {} })).not.toThrow();
    expect(() => loadConfigText(`flags:\n  - { key: limit, type: number, variants: { on: 10, off: 0 } }\n`, { env: {} })).not.toThrow();
  });

  it('a flag variant of the wrong type', () => {
    const p = only(`flags:\n  - key: limit\n    type: number\n    variants: { on: ten, off: 0 }\n`);
    expect(p).toMatchObject({ path: 'flags[0].variants.on', line: 4 });
    expect(p.message).toMatch(/must be numbers, got "ten"/);
  });

  it('a duplicate monitor name', () => {
    const p = only(`monitors:\n  - { name: x, url: "http://127.0.0.1/" }\n  - { name: x, url: "http://127.0.0.1/b" }\n`);
    expect(p).toMatchObject({ line: 3, path: 'monitors[1].name', message: 'duplicate name "x"' });
  });

  it('YAML syntax errors with their position', () => {
    const p = only(`monitors:\n  - name: x\n   url: bad indent\n`);
    expect(p.line).toBe(3);
    expect(p.path).toBe('');
  });

  it('a duplicate key', () => {
    const p = only(`server:\n  port: 1\n  port: 2\n`);
    expect(p.line).toBe(3);
    expect(p.message).toMatch(/unique/i);
  });

  it('reports every problem, in file order', () => {
    const list = problems(`server:\n  port: "x"\nmonitors:\n  - name: a\n    url: "http://127.0.0.1/"\n    intervall: 5\n`);
    expect(list.map((p) => p.path)).toEqual(['server.port', 'monitors[0].intervall']);
    expect(String(new ConfigError(list).message)).toContain('medic.yaml:2:9 server.port: expected number, got "x"');
  });

  it('a missing file', () => {
    expect(() => loadConfigFile('/nonexistent/medic.yaml')).toThrow(/cannot read config/);
  });
});

describe('${ENV} substitution', () => {
  const base = (value: string) => `monitors:\n  - name: x\n    url: "http://127.0.0.1/"\n    headers: { X-Token: "${value}" }\n`;
  const header = (text: string, env: NodeJS.ProcessEnv) =>
    (loadConfigText(text, { env }).config.monitors[0] as { headers: Record<string, string> }).headers['X-Token'];

  it('substitutes a set variable and remembers it as a secret', () => {
    const loaded = loadConfigText(base('Bearer ${API_TOKEN}'), { env: { API_TOKEN: 'tok-123456' } });
    expect((loaded.config.monitors[0] as { headers: Record<string, string> }).headers['X-Token']).toBe('Bearer tok-123456');
    expect(loaded.redactor.redact('sent Bearer tok-123456')).toBe('sent Bearer [REDACTED]');
  });

  it('uses the default when unset or empty', () => {
    expect(header(base('${MISSING:-fallback}'), {})).toBe('fallback');
    expect(header(base('${EMPTY:-fallback}'), { EMPTY: '' })).toBe('fallback');
  });

  it('does not treat a default as a secret', () => {
    const loaded = loadConfigText(base('${MISSING:-visible-default}'), { env: {} });
    expect(loaded.redactor.redact('visible-default')).toBe('visible-default');
  });

  it('names a missing variable, with its position', () => {
    const p = only(base('${NOT_SET_ANYWHERE}'));
    expect(p).toMatchObject({ line: 4, path: 'monitors[0].headers.X-Token' });
    expect(p.message).toMatch(/environment variable NOT_SET_ANYWHERE is not set/);
  });

  it('keeps $${X} as a literal ${X} and a bare $NAME untouched', () => {
    expect(header(base('$${LITERAL}'), {})).toBe('${LITERAL}');
    const text = `runbooks:\n  - name: r\n    steps:\n      - { name: a, run: 'echo $MEDIC_SERVICE $\${HOME} \${WHO}' }\n`;
    const step = loadConfigText(text, { env: { WHO: 'me-myself' } }).config.runbooks[0]!.steps[0] as { run: string };
    expect(step.run).toBe('echo $MEDIC_SERVICE ${HOME} me-myself');
  });

  it('gives an unquoted whole reference its YAML type', () => {
    const loaded = loadConfigText('server:\n  port: ${PORT}\n', { env: { PORT: '9191' } });
    expect(loaded.config.server.port).toBe(9191);
  });

  it('never substitutes inside keys', () => {
    const loaded = loadConfigText('services:\n  - name: a\n    labels: { "${X}": v }\n', { env: { X: 'nope' } });
    expect(loaded.config.services[0]!.labels).toEqual({ '${X}': 'v' });
  });
});

describe('value types', () => {
  it('accepts durations as seconds or with units', () => {
    const c = loadConfigText(
      `monitors:\n  - { name: a, url: "http://127.0.0.1/", interval: 60, timeout: "500ms", retry_interval: 1h }\n  - { name: b, url: "http://127.0.0.1/", interval: "30s", timeout: 5m }\n`,
    ).config.monitors;
    expect([c[0]!.interval, c[0]!.timeout, c[0]!.retry_interval, c[1]!.interval, c[1]!.timeout]).toEqual([60_000, 500, 3_600_000, 30_000, 300_000]);
  });

  it('accepts percentages as "5%" or 0.05', () => {
    expect(loadConfigText('verification: { max_error_rate: "5%" }').config.verification.max_error_rate).toBeCloseTo(0.05);
    expect(loadConfigText('verification: { max_error_rate: 0.05 }').config.verification.max_error_rate).toBeCloseTo(0.05);
  });

  it('fills defaults for an empty file', () => {
    const c = loadConfigText('').config;
    expect(c.server.port).toBe(8080);
    expect(c.storage.url).toBe('sqlite://./data/medic.db');
    expect(c.incidents.group_window).toBe(300_000);
    expect(c.verification).toMatchObject({ window: 300_000, interval: 30_000, max_error_rate: 0.01, max_latency_p95: 500 });
  });

  it('parses assert_status forms', () => {
    const c = loadConfigText(`monitors:\n  - { name: a, url: "http://127.0.0.1/", assert_status: [200, "300-399"] }\n  - { name: b, url: "http://127.0.0.1/", assert_status: "200-299" }\n`).config;
    expect((c.monitors[0] as { assert_status: unknown }).assert_status).toEqual([{ min: 200, max: 200 }, { min: 300, max: 399 }]);
    expect((c.monitors[1] as { assert_status: unknown }).assert_status).toEqual([{ min: 200, max: 299 }]);
  });
});
