/**
 * A body shaped like Atlassian Statuspage's `GET /api/v2/summary.json` (page, status, components,
 * incidents with incident_updates newest first, scheduled_maintenances), for a local server to answer.
 */

export function statuspageSummary(opts: { indicator: 'none' | 'minor' | 'major' | 'critical'; description: string; degraded?: boolean }) {
  const page = { id: 'kctbh9vrtdwd', name: 'Stripe', url: 'https://status.stripe.com', time_zone: 'Etc/UTC', updated_at: '2026-12-02T14:50:00.000Z' };
  const component = (id: string, name: string, status: string, position: number) => ({
    id,
    name,
    status,
    created_at: '2015-01-01T00:00:00.000Z',
    updated_at: '2026-12-02T14:50:00.000Z',
    position,
    description: null,
    showcase: true,
    start_date: null,
    group_id: null,
    page_id: page.id,
    group: false,
    only_show_if_degraded: false,
  });
  return {
    page,
    components: [
      component('c1', 'API', opts.degraded ? 'degraded_performance' : 'operational', 1),
      component('c2', 'Dashboard', 'operational', 2),
      component('c3', 'Webhooks', opts.degraded ? 'partial_outage' : 'operational', 3),
    ],
    incidents: opts.degraded
      ? [
          {
            id: 'inc1',
            name: 'Elevated API error rates',
            status: 'identified',
            created_at: '2026-12-02T14:20:00.000Z',
            updated_at: '2026-12-02T14:45:00.000Z',
            monitoring_at: null,
            resolved_at: null,
            impact: 'minor',
            shortlink: 'https://stspg.io/abc',
            started_at: '2026-12-02T14:20:00.000Z',
            page_id: page.id,
            incident_updates: [
              { id: 'u2', status: 'identified', body: 'We have identified the cause of elevated errors on charge creation.', incident_id: 'inc1', created_at: '2026-12-02T14:45:00.000Z', updated_at: '2026-12-02T14:45:00.000Z', display_at: '2026-12-02T14:45:00.000Z', affected_components: null, deliver_notifications: true, custom_tweet: null, tweet_id: null },
              { id: 'u1', status: 'investigating', body: 'We are investigating elevated API error rates.', incident_id: 'inc1', created_at: '2026-12-02T14:20:00.000Z', updated_at: '2026-12-02T14:20:00.000Z', display_at: '2026-12-02T14:20:00.000Z', affected_components: null, deliver_notifications: true, custom_tweet: null, tweet_id: null },
            ],
            components: [],
          },
        ]
      : [],
    scheduled_maintenances: [],
    status: { indicator: opts.indicator, description: opts.description },
  };
}
