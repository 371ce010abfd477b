import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigText, type FlagConfig } from '../../../src/config/index.js';
import { getIncident, getTimeline, ingestAlerts, type IncidentContext } from '../../../src/incidents/index.js';
import type { FlagSwitch } from '../../../src/resolve/actions/index.js';
import { FlagService } from '../../../src/resolve/flags/index.js';
import { alert, incidentContext } from '../../helpers/incidents.js';
import { ENGINES, openTestStore, type TestStore } from '../../helpers/stores.js';

const flagsOf = (yaml: string): FlagConfig[] => loadConfigText(yaml, { env: {} }).config.flags;

const CONFIG = `
flags:
  - { key: new_checkout_flow, rollout: 25%, service: checkout, rules: [{ when: 'plan == "pro"' }] }
  - { key: dark_mode, enabled: false }
`;

describe.each(ENGINES)('flag service on %s', (engine) => {
  let t: TestStore;
  let ctx: IncidentContext;
  let clock: ReturnType<typeof incidentContext>['clock'];
  let flags: FlagService;

  /** A fresh service over the same database, as a restarted process would build it. */
  const restart = async (yaml: string) => {
    flags = new FlagService({ incidents: ctx });
    return flags.syncConfig(flagsOf(yaml));
  };
  const changes = async (key: string) => t.store.db.selectFrom('flag_changes').selectAll().where('flag_key', '=', key).orderBy('id').execute();
  const openIncident = async (service: string, name = 'CheckoutErrors') => (await ingestAlerts(ctx, [alert({ name, service })], 'webhook'))[0]!.incidentId!;

  beforeEach(async () => {
    t = await openTestStore(engine);
    ({ ctx, clock } = incidentContext(t.store));
    await restart(CONFIG);
  });
  afterEach(async () => t?.cleanup());

  describe('config sync', () => {
    it('adds the config flags with their state, each recorded as a change by config', async () => {
      const list = await flags.list();
      expect(list.map((f) => [f.key, f.enabled, f.rollout, f.version, f.source])).toEqual([
        ['dark_mode', false, 1, 1, 'config'],
        ['new_checkout_flow', true, 0.25, 1, 'config'],
      ]);
      expect(list[1]!.lastChange).toMatchObject({ actor: 'config', reason: 'added in medic.yaml', before: null, after: { enabled: true, rollout: 0.25, version: 1 } });
      expect(flags.evaluate('dark_mode', {})).toMatchObject({ ok: true, value: false, reason: 'DISABLED' });
    });

    it('keeps a change made through the API across a restart with the same config', async () => {
      await flags.change({ key: 'new_checkout_flow', enabled: false, actor: 'alice', reason: 'checkout errors', source: 'api' });
      expect(await restart(CONFIG)).toEqual([]);
      expect(flags.evaluate('new_checkout_flow', { targetingKey: 'u1' })).toMatchObject({ value: false, reason: 'DISABLED', metadata: { version: 2 } });
      expect((await flags.get('new_checkout_flow'))).toMatchObject({ enabled: false, source: 'api', version: 2, configured: { enabled: true, rollout: 0.25 } });
    });

    it('gives the config back the last word when it changes that flag, and only that flag', async () => {
      await flags.change({ key: 'new_checkout_flow', enabled: false, actor: 'alice', reason: 'errors', source: 'api' });
      await flags.change({ key: 'dark_mode', enabled: true, actor: 'alice', reason: 'launch', source: 'api' });
      const changed = await restart(CONFIG.replace('rollout: 25%', 'rollout: 50%'));
      expect(changed.map((c) => [c.key, c.reason])).toEqual([['new_checkout_flow', 'changed in medic.yaml']]);
      expect(changed[0]).toMatchObject({ actor: 'config', before: { enabled: false, rollout: 0.25, version: 2 }, after: { enabled: true, rollout: 0.5, version: 3, source: 'config' } });
      expect(flags.state('new_checkout_flow')).toMatchObject({ enabled: true, rollout: 0.5 });
      // dark_mode's entry did not change: the API's decision stands.
      expect(flags.state('dark_mode')).toMatchObject({ enabled: true });
    });

    it('removes flags no longer in the config, and adds new ones', async () => {
      const changed = await restart(`flags:\n  - { key: dark_mode, enabled: false }\n  - { key: search_v2, type: string, variants: { a: A, b: B }, default_variant: a, off_variant: b }\n`);
      expect(changed.map((c) => [c.key, c.reason, c.after === null])).toEqual([
        ['search_v2', 'added in medic.yaml', false],
        ['new_checkout_flow', 'removed from medic.yaml', true],
      ]);
      expect(flags.has('new_checkout_flow')).toBe(false);
      expect(flags.evaluate('new_checkout_flow', {})).toMatchObject({ ok: false, errorCode: 'FLAG_NOT_FOUND' });
      expect(flags.evaluate('search_v2', {})).toMatchObject({ ok: true, value: 'A', variant: 'a' });
    });
  });

  describe('the change function', () => {
    it('records actor, reason, incident and before/after, and bumps the version', async () => {
      const incidentId = await openIncident('checkout');
      const result = await flags.change({ key: 'new_checkout_flow', enabled: false, actor: 'alice', reason: 'checkout 500s', source: 'api', incidentId });
      expect(result).toMatchObject({ changed: true, flag: { enabled: false, rollout: 0.25, version: 2, source: 'api' } });
      const rows = await changes('new_checkout_flow');
      expect(rows).toHaveLength(2);
      expect(rows[1]).toMatchObject({ actor: 'alice', reason: 'checkout 500s', incident_id: incidentId, at: clock.now() });
      expect(JSON.parse(rows[1]!.before)).toEqual({ enabled: true, rollout: 0.25, version: 1, source: 'config' });
      expect(JSON.parse(rows[1]!.after)).toEqual({ enabled: false, rollout: 0.25, version: 2, source: 'api' });

      await flags.change({ key: 'new_checkout_flow', rollout: 0.1, actor: 'bob', reason: 'smaller', source: 'cli' });
      expect(flags.state('new_checkout_flow')).toMatchObject({ enabled: false, rollout: 0.1, metadata: { version: 3 } });
    });

    it('records nothing when nothing changes', async () => {
      const result = await flags.change({ key: 'dark_mode', enabled: false, actor: 'alice', reason: 'again', source: 'api' });
      expect(result).toMatchObject({ changed: false, change: undefined, flag: { version: 1 } });
      expect(await changes('dark_mode')).toHaveLength(1);
    });

    it('adds flag_changed to the open incidents of the flag\'s service; on the incident it was made for, as the fix', async () => {
      const mine = await openIncident('checkout', 'CheckoutErrors');
      clock.advance(10 * 60_000); // past the grouping window: a second incident of the same service
      const other = await openIncident('checkout', 'CheckoutLatency');
      expect(other).not.toBe(mine);
      const elsewhere = await openIncident('payments', 'PaymentErrors');
      clock.advance(90_000);
      await flags.change({ key: 'new_checkout_flow', enabled: false, actor: 'alice', reason: 'checkout 500s', source: 'api', incidentId: mine, notify: ['#checkout'] });

      const event = async (id: number) => (await getTimeline(t.store.db, id)).find((e) => e.type === 'flag_changed');
      expect(await event(mine)).toMatchObject({
        actor: 'alice',
        payload: {
          flag: 'new_checkout_flow',
          service: 'checkout',
          source: 'api',
          reason: 'checkout 500s',
          before: { enabled: true, rollout: 0.25, version: 1 },
          after: { enabled: false, rollout: 0.25, version: 2 },
          incident_id: mine,
          fix: true,
          notify: ['#checkout'],
        },
      });
      expect((await event(other))?.payload).not.toHaveProperty('fix');
      expect(await event(elsewhere)).toBeUndefined();
      expect(await getIncident(t.store.db, mine)).toMatchObject({ status: 'resolved', resolvedAt: clock.now() });
      expect(await getIncident(t.store.db, other)).toMatchObject({ status: 'open', resolvedAt: null });
    });

    it('is the FlagSwitch remediation actions pull, recorded as the fix of their incident', async () => {
      const incidentId = await openIncident('checkout');
      const remediation: FlagSwitch = flags;
      expect(await remediation.setEnabled('new_checkout_flow', false, { actor: 'checkout-errors', reason: 'remediation of incident', incidentId })).toEqual({ changed: true });
      expect(await remediation.setEnabled('new_checkout_flow', false, { actor: 'checkout-errors', reason: 'again', incidentId })).toEqual({ changed: false });
      expect(flags.evaluate('new_checkout_flow', { targetingKey: 'u1', plan: 'pro' })).toMatchObject({ value: false, reason: 'DISABLED' });
      expect((await flags.get('new_checkout_flow'))?.source).toBe('remediation');
      const events = (await getTimeline(t.store.db, incidentId)).filter((e) => e.type === 'flag_changed');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actor: 'checkout-errors', payload: { source: 'remediation', fix: true } });
      expect((await getIncident(t.store.db, incidentId))?.resolvedAt).toBe(clock.now());
    });

    it('refuses an unknown flag or incident, a missing reason and a rollout out of range, and changes nothing', async () => {
      const base = { actor: 'alice', reason: 'x', source: 'api' as const };
      await expect(flags.change({ ...base, key: 'nope', enabled: false })).rejects.toMatchObject({ kind: 'not_found', message: 'no flag "nope"' });
      await expect(flags.change({ ...base, key: 'dark_mode', enabled: true, incidentId: 999 })).rejects.toMatchObject({ kind: 'not_found', message: 'no incident 999' });
      await expect(flags.change({ ...base, key: 'dark_mode', enabled: true, reason: '  ' })).rejects.toMatchObject({ kind: 'invalid' });
      await expect(flags.change({ ...base, key: 'dark_mode', rollout: 1.5 })).rejects.toMatchObject({ kind: 'invalid' });
      expect(await changes('dark_mode')).toHaveLength(1);
      expect(flags.state('dark_mode')).toMatchObject({ enabled: false });
    });
  });

  describe('evaluation', () => {
    it('is served from memory: it goes on when the database is gone', async () => {
      await t.store.close();
      expect(flags.evaluate('new_checkout_flow', { targetingKey: 'u1', plan: 'pro' })).toMatchObject({ ok: true, value: true, reason: 'TARGETING_MATCH' });
      expect(flags.evaluateAll({ targetingKey: 'u1' }).map((e) => e.key)).toEqual(['dark_mode', 'new_checkout_flow']);
    });

    it('answers PARSE_ERROR for a stored definition that no longer parses, and keeps the other flags', async () => {
      await t.store.db.updateTable('flags').set({ definition: '{"key":"dark_mode","rules":[{"when":"plan =="}]}' }).where('key', '=', 'dark_mode').execute();
      await flags.refresh();
      expect(flags.evaluate('dark_mode', {})).toMatchObject({ ok: false, errorCode: 'PARSE_ERROR' });
      expect(flags.evaluate('new_checkout_flow', { targetingKey: 'u1', plan: 'pro' })).toMatchObject({ ok: true });
      expect((await flags.list()).find((f) => f.key === 'dark_mode')?.error).toMatch(/invalid definition/);
    });

    it('replaces a stored definition that is not even JSON when the config changes it', async () => {
      await t.store.db.updateTable('flags').set({ definition: 'garbage', config_hash: 'stale' }).where('key', '=', 'dark_mode').execute();
      const [change] = await restart(CONFIG);
      expect(change).toMatchObject({ key: 'dark_mode', before: { definition: 'garbage' }, after: { enabled: false, version: 2 } });
      expect(flags.evaluate('dark_mode', {})).toMatchObject({ ok: true, reason: 'DISABLED' });
    });

    it('keeps the evaluation state of flags that did not change', async () => {
      const before = flags.state('dark_mode');
      await flags.change({ key: 'new_checkout_flow', enabled: false, actor: 'a', reason: 'r', source: 'api' });
      expect(flags.state('dark_mode')).toBe(before);
      expect(flags.state('new_checkout_flow')?.enabled).toBe(false);
    });
  });
});
