import { describe, expect, it } from 'vitest';
import { channel, route, type ChannelConfig, type RouteConfig } from '../../src/config/index.js';
import { routeNotification, type RoutableIncident } from '../../src/notify/index.js';

/** Config parsed by the real schema, as the loader would hand it over. */
const channels = (list: unknown[]): ChannelConfig[] => list.map((c) => channel.parse(c));
const routes = (list: unknown[]): RouteConfig[] => list.map((r) => route.parse(r));

const notifications = channels([
  { name: '#payments', type: 'slack', webhook_url: 'https://hooks.slack.com/services/T/B/X' },
  { name: '#platform', type: 'slack', webhook_url: 'https://hooks.slack.com/services/T/B/Y' },
  { name: 'oncall', type: 'pagerduty', routing_key: 'key', events: ['opened', 'escalated', 'acknowledged', 'resolved'] },
  { name: 'audit', type: 'webhook', url: 'https://audit.example.com/hook' },
  { name: 'managers', type: 'email', smtp: 'smtp://mail:25', from: 'medic@example.com', to: 'm@example.com', events: ['opened'] },
]);

const incident = (over: Partial<RoutableIncident> = {}): RoutableIncident => ({
  service: 'payment-service',
  severity: 'P2',
  labels: { alertname: 'PaymentErrorRate', team: 'payments' },
  ...over,
});

describe('notification routing', () => {
  it('sends to the explicit notify lists first, then to the first matching route', () => {
    const config = {
      notifications,
      routes: routes([
        { match: { service: 'payment-service' }, notify: ['#payments'] },
        { match: {}, notify: ['#platform'] },
      ]),
    };
    expect(routeNotification({ event: 'opened', incident: incident(), notify: [['audit'], undefined] }, config)).toEqual(['audit', '#payments']);
    expect(routeNotification({ event: 'opened', incident: incident({ service: 'search' }) }, config)).toEqual(['#platform']);
  });

  it('keeps walking after a route with continue: true', () => {
    const config = {
      notifications,
      routes: routes([
        { match: { team: 'payments' }, notify: '#payments', continue: true },
        { min_severity: 'P1', notify: ['oncall'] },
        { notify: ['#platform'] },
      ]),
    };
    expect(routeNotification({ event: 'opened', incident: incident({ severity: 'P1' }) }, config)).toEqual(['#payments', 'oncall']);
    expect(routeNotification({ event: 'opened', incident: incident({ severity: 'P3' }) }, config)).toEqual(['#payments', '#platform']);
  });

  it('applies min_severity with P1 the most severe', () => {
    const config = { notifications, routes: routes([{ min_severity: 'P2', notify: ['oncall'] }]) };
    const names = (severity: RoutableIncident['severity']) => routeNotification({ event: 'opened', incident: incident({ severity }) }, config);
    expect([names('P1'), names('P2'), names('P3'), names('P4')]).toEqual([['oncall'], ['oncall'], [], []]);
  });

  it('matches labels exactly or by an anchored /regex/, a missing label being empty', () => {
    const config = {
      notifications,
      routes: routes([
        { match: { alertname: '/Payment.*/', severity: '/P1|P2/' }, notify: ['#payments'] },
        { match: { service: '/pay/' }, notify: ['oncall'] },
        { match: { region: '' }, notify: ['#platform'] },
      ]),
    };
    expect(routeNotification({ event: 'opened', incident: incident() }, config)).toEqual(['#payments']);
    expect(routeNotification({ event: 'opened', incident: incident({ severity: 'P3' }) }, config)).toEqual(['#platform']);
    // /pay/ must match the whole value, not a part of "payment-service".
    expect(routeNotification({ event: 'opened', incident: incident({ severity: 'P3', labels: { region: 'eu' } }) }, config)).toEqual([]);
    expect(routeNotification({ event: 'opened', incident: incident({ service: 'pay', severity: 'P3', labels: { region: 'eu' } }) }, config)).toEqual(['oncall']);
  });

  it('filters by each channel\'s events, never duplicates, and drops unknown names', () => {
    const config = { notifications, routes: routes([{ notify: ['oncall', 'managers', 'audit', 'oncall'] }]) };
    const go = (event: Parameters<typeof routeNotification>[0]['event']) => routeNotification({ event, incident: incident(), notify: [['audit', 'no-such-channel']] }, config);
    expect(go('opened')).toEqual(['audit', 'oncall', 'managers']);
    expect(go('acknowledged')).toEqual(['audit', 'oncall']);
    expect(go('remediation_finished')).toEqual(['audit']);
    expect(go('verified')).toEqual(['audit']);
  });

  it('sends nothing when no route matches and nothing is explicit', () => {
    const config = { notifications, routes: routes([{ match: { service: 'search' }, notify: ['#platform'] }]) };
    expect(routeNotification({ event: 'opened', incident: incident() }, config)).toEqual([]);
    expect(routeNotification({ event: 'opened', incident: incident() }, { notifications, routes: [] })).toEqual([]);
  });
});
