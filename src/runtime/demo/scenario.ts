import { setTimeout as wait } from 'node:timers/promises';
import type { Logger } from '../../shared/logger.js';
import type { ShopProcess } from './shop-process.js';

/**
 * The demo's fault scenario, played in a loop: each act breaks the shop in a way one remediation rule
 * knows, then waits for Medic to detect, diagnose, fix and verify it by itself, then (where a person
 * would) tidies up, and pauses before the next act.
 *
 *   1. a deploy of checkout v2.4.1 whose new checkout flow fails orders  → Medic switches the
 *      new_checkout_flow flag off (the kill switch); afterwards "the developers ship the fix" and
 *      turn it back on;
 *   2. the payment worker crashes                                      → Medic restarts it (webhook);
 *   3. a deploy of storefront v2.5.0 makes every page slow              → Medic rolls it back.
 */

export interface ScenarioDeps {
  shop: ShopProcess;
  logger: Logger;
  deploy(service: string, version: string): Promise<void>;
  activeIncidents(): Promise<number>;
  enableFlag(key: string, reason: string): Promise<void>;
  /** Calm time before each act (default 15 s), and the longest wait for recovery. */
  calmMs?: number;
  recoveryTimeoutMs?: number;
}

interface Act {
  name: string;
  breakIt(d: ScenarioDeps): Promise<void>;
  afterwards?(d: ScenarioDeps): Promise<void>;
}

const ACTS: Act[] = [
  {
    name: 'checkout v2.4.1 breaks orders behind the new_checkout_flow flag',
    async breakIt(d) {
      await d.deploy('checkout', 'v2.4.1');
      await d.shop.admin('deploy', { version: 'v2.4.1', fault: 'checkout' });
    },
    async afterwards(d) {
      await d.shop.admin('fix');
      await d.enableFlag('new_checkout_flow', 'demo: the developers shipped the fix for the new checkout flow');
    },
  },
  {
    name: 'the payment worker crashes',
    breakIt: (d) => d.shop.admin('crash'),
  },
  {
    name: 'storefront v2.5.0 makes every page slow',
    async breakIt(d) {
      await d.deploy('storefront', 'v2.5.0');
      await d.shop.admin('deploy', { version: 'v2.5.0', fault: 'slow' });
    },
  },
];

export interface Scenario {
  stop(): void;
}

export function playScenario(d: ScenarioDeps): Scenario {
  let stopped = false;
  // Unref'd: a pause of the scenario never keeps the process alive.
  const sleep = (ms: number) => wait(ms, undefined, { ref: false });
  const calm = d.calmMs ?? 15_000;
  const timeout = d.recoveryTimeoutMs ?? 4 * 60_000;

  const waitForCalm = async () => {
    const until = Date.now() + timeout;
    while (!stopped && (await d.activeIncidents()) > 0 && Date.now() < until) await sleep(1000);
  };

  void (async () => {
    for (let round = 0; !stopped; round++) {
      for (const act of ACTS) {
        await sleep(calm);
        if (stopped) return;
        try {
          d.logger.info({ act: act.name }, 'demo: breaking the shop');
          await act.breakIt(d);
          // Give the monitors time to see it, then wait for Medic to close the incident by itself.
          await sleep(10_000);
          await waitForCalm();
          if (stopped) return;
          await act.afterwards?.(d);
          d.logger.info({ act: act.name }, 'demo: recovered');
        } catch (err) {
          d.logger.warn({ err, act: act.name }, 'demo: act failed; going on');
        }
      }
    }
  })();

  return {
    stop() {
      stopped = true;
    },
  };
}
