#!/usr/bin/env node
// The demo's shop: a tiny web service with login, checkout and payment endpoints, Prometheus metrics,
// and faults the demo scenario switches on. Plain JavaScript with no dependencies, so `node` runs it
// anywhere Medic runs. Usage: MEDIC_TOKEN=<a flags token> node shop.mjs --port 3900 [--medic http://127.0.0.1:8080]
// (the token comes from the environment: a command line is readable by every local user).
import { createServer } from 'node:http';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, v, i, all) => (v.startsWith('--') ? [...acc, [v.slice(2), all[i + 1]]] : acc), []));
const port = Number(args.port ?? 3900);
const medic = args.medic;
const token = process.env.MEDIC_TOKEN;

/** What is wrong right now, and which release of each part is running. */
const state = {
  version: 'v2.4.0',
  previousVersion: 'v2.3.9',
  /** The release whose new checkout flow fails orders (while the flag is on). */
  buggyCheckout: false,
  /** The payment worker crashed and stays down until restarted. */
  paymentsCrashed: false,
  /** Milliseconds the storefront takes per request: the slow release. */
  slowMs: 0,
  previousSlowMs: 0,
  newCheckoutFlow: true,
};

// --- metrics, in Prometheus text format -------------------------------------------------------
const counts = new Map(); // `${route} ${code}` → n
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const histogram = new Map(); // route → { buckets: number[], sum, count }
function observe(route, code, seconds) {
  counts.set(`${route} ${code}`, (counts.get(`${route} ${code}`) ?? 0) + 1);
  const h = histogram.get(route) ?? { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
  BUCKETS.forEach((b, i) => { if (seconds <= b) h.buckets[i]++; });
  h.sum += seconds;
  h.count++;
  histogram.set(route, h);
}
function metrics() {
  const lines = ['# HELP http_requests_total Requests by route and status.', '# TYPE http_requests_total counter'];
  for (const [key, n] of counts) {
    const [route, code] = key.split(' ');
    lines.push(`http_requests_total{service="shop",route="${route}",code="${code}"} ${n}`);
  }
  lines.push('# HELP http_request_duration_seconds Request latency.', '# TYPE http_request_duration_seconds histogram');
  for (const [route, h] of histogram) {
    BUCKETS.forEach((b, i) => lines.push(`http_request_duration_seconds_bucket{service="shop",route="${route}",le="${b}"} ${h.buckets[i]}`));
    lines.push(`http_request_duration_seconds_bucket{service="shop",route="${route}",le="+Inf"} ${h.count}`);
    lines.push(`http_request_duration_seconds_sum{service="shop",route="${route}"} ${h.sum}`, `http_request_duration_seconds_count{service="shop",route="${route}"} ${h.count}`);
  }
  lines.push(`shop_info{version="${state.version}"} 1`);
  return lines.join('\n') + '\n';
}

// --- the feature flag, read from Medic over OFREP --------------------------------------------
async function refreshFlag() {
  if (!medic || !token) return;
  try {
    const res = await fetch(`${medic}/ofrep/v1/evaluate/flags/new_checkout_flow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ context: { targetingKey: 'shop' } }),
    });
    if (res.ok) state.newCheckoutFlow = (await res.json()).value === true;
  } catch {
    // Medic unreachable: keep the last known value, as an OpenFeature provider would.
  }
}
setInterval(refreshFlag, 1000).unref();
void refreshFlag();

// --- the shop ---------------------------------------------------------------------------------
const json = (res, code, body) => {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function shop(req, res, url) {
  switch (url.pathname) {
    case '/health':
      return json(res, 200, { status: 'ok', version: state.version });
    case '/login':
      return json(res, 200, { page: 'login' });
    case '/api/auth/login':
      return json(res, 200, { token: 'demo-session-token' });
    case '/api/products':
      // The storefront: the slow release makes every page wait.
      if (state.slowMs) await sleep(state.slowMs);
      return json(res, 200, { products: [{ id: 1, name: 'Stethoscope', price: 89 }], version: state.version });
    case '/api/checkout':
      if (req.headers.authorization !== 'Bearer demo-session-token') return json(res, 401, { error: 'sign in first' });
      if (state.buggyCheckout && state.newCheckoutFlow) return json(res, 500, { error: 'order failed: new checkout flow bug' });
      return json(res, 200, { status: 'ordered', flow: state.newCheckoutFlow ? 'new' : 'legacy', version: state.version });
    case '/payments/health':
    case '/payments/charge':
      if (state.paymentsCrashed) return json(res, 503, { error: 'payment worker crashed (restart it)' });
      return json(res, 200, { status: 'ok' });
    default:
      return json(res, 404, { error: 'not found' });
  }
}

/** Control endpoints: the scenario breaks things, Medic's remediations fix them. */
function admin(req, res, url) {
  const action = url.pathname.slice('/admin/'.length);
  switch (action) {
    case 'state':
      return json(res, 200, state);
    case 'deploy': {
      const version = url.searchParams.get('version') ?? 'v2.4.1';
      Object.assign(state, { previousVersion: state.version, previousSlowMs: state.slowMs, version });
      if (url.searchParams.get('fault') === 'checkout') state.buggyCheckout = true;
      if (url.searchParams.get('fault') === 'slow') state.slowMs = 1500;
      return json(res, 200, state);
    }
    case 'crash':
      state.paymentsCrashed = true;
      return json(res, 200, state);
    case 'restart':
      // Restarting the payment worker clears its crash (and nothing else).
      state.paymentsCrashed = false;
      return json(res, 200, state);
    case 'rollback':
      Object.assign(state, { version: state.previousVersion, slowMs: state.previousSlowMs, buggyCheckout: false });
      return json(res, 200, state);
    case 'fix':
      // The developers shipped the fix: the new checkout flow works again.
      state.buggyCheckout = false;
      return json(res, 200, state);
    default:
      return json(res, 404, { error: 'unknown admin action' });
  }
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://shop');
  if (url.pathname === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    return res.end(metrics());
  }
  if (url.pathname.startsWith('/admin/')) return admin(req, res, url);
  const started = performance.now();
  await shop(req, res, url);
  observe(url.pathname, res.statusCode, (performance.now() - started) / 1000);
});
server.listen(port, '127.0.0.1', () => console.log(`shop listening on http://127.0.0.1:${port} (${state.version})`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
