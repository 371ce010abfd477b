import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigText, type ConfigProblem } from '../../src/config/index.js';

/** `medic validate` of the kubernetes, statuspage and loki steps: each kind's fields, with file:line. */

function problems(steps: string, extra = ''): ConfigProblem[] {
  try {
    loadConfigText(`${extra}runbooks:\n  - name: r\n    steps:\n${steps}`, { file: 'medic.yaml', env: {} });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected the config to be rejected');
}
const brief = (list: ConfigProblem[]) => list.map((p) => [p.line, p.path, p.message]);

describe('new runbook step kinds in medic.yaml', () => {
  it('parse with their defaults', () => {
    const { config } = loadConfigText(
      [
        'loki: { url: "http://127.0.0.1:3100" }',
        'runbooks:',
        '  - name: r',
        '    steps:',
        '      - { name: a, kubernetes: pods, namespace: payments, deployment: payment-service }',
        '      - { name: b, kubernetes: logs, deployment: payment-service, grep: "error|fatal" }',
        '      - { name: c, kubernetes: rollout_history, namespace: payments, deployment: payment-service }',
        '      - { name: d, kubernetes: events, namespace: payments }',
        '      - { name: e, statuspage: "https://status.stripe.com" }',
        "      - { name: f, loki: '{app=\"payment-service\"} |= \"error\"' }",
        '',
      ].join('\n'),
      { file: 'medic.yaml', env: {} },
    );
    const [pods, logs, history, events, sp, loki] = config.runbooks[0]!.steps;
    expect(pods).toMatchObject({ kind: 'kubernetes', kubernetes: 'pods', namespace: 'payments', deployment: 'payment-service', timeout: 30_000 });
    expect(logs).toMatchObject({ kind: 'kubernetes', kubernetes: 'logs', namespace: 'default', tail: 200, last: 20, previous: false, grep: 'error|fatal' });
    expect(history).toMatchObject({ kind: 'kubernetes', kubernetes: 'rollout_history' });
    expect(events).toMatchObject({ kind: 'kubernetes', kubernetes: 'events', since: 15 * 60_000 });
    expect(sp).toMatchObject({ kind: 'statuspage', statuspage: 'https://status.stripe.com' });
    expect(loki).toMatchObject({ kind: 'loki', since: 15 * 60_000, limit: 20 });
    expect(config.loki).toEqual({ url: 'http://127.0.0.1:3100', headers: {} });
  });

  it("check each kind's fields, naming the line", () => {
    const list = problems(
      [
        '      - { name: a, kubernetes: pods, namespace: payments }',
        '      - { name: b, kubernetes: logs, deployment: x, pod: y }',
        '      - { name: c, kubernetes: rollout_history, namespace: payments }',
        '      - { name: d, kubernetes: nodes }',
        '      - { name: e, kubernetes: logs, deployment: x, grep: "(" }',
        '      - { name: f, kubernetes: events, namespace: "Bad_NS" }',
        '      - { name: g, statuspage: "ftp://status.example.com" }',
        '      - { name: h, kubernetes: pods, deployment: x, tail: 5 }',
        '',
      ].join('\n'),
    );
    expect(brief(list)).toEqual([
      [4, 'runbooks[0].steps[0]', 'needs exactly one of deployment, selector'],
      [5, 'runbooks[0].steps[1]', 'needs exactly one of deployment, pod, selector (got deployment and pod)'],
      [6, 'runbooks[0].steps[2].deployment', expect.stringMatching(/./)],
      [7, 'runbooks[0].steps[3].kubernetes', 'kubernetes: expected one of pods, logs, rollout_history, events'],
      [8, 'runbooks[0].steps[4].grep', expect.stringMatching(/^invalid regular expression/)],
      [9, 'runbooks[0].steps[5].namespace', expect.stringMatching(/expected a Kubernetes namespace name/)],
      [10, 'runbooks[0].steps[6].statuspage', expect.stringMatching(/./)],
      [11, 'runbooks[0].steps[7].tail', expect.stringMatching(/unknown key "tail"/)],
    ]);
  });

  it('a loki step needs the top-level loki section', () => {
    const list = problems("      - { name: f, loki: '{app=\"x\"}' }\n");
    expect(brief(list)).toEqual([[4, 'runbooks[0].steps[0].loki', 'a loki step needs the top-level loki: { url } section']]);
  });
});
