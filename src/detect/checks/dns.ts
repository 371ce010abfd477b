import { promises as dns } from 'node:dns';
import net from 'node:net';
import type { DnsMonitorConfig } from '../../config/index.js';
import { describeError } from '../../shared/network-error.js';
import { preview } from './assertions.js';
import { failed, ms, type AssertionResult, type CheckOutcome, type CheckType } from './check.js';
import { abortPromise, startDeadline } from './deadline.js';

/**
 * `type: dns` — the name resolves (with c-ares, straight to a DNS server, not through the OS's
 * getaddrinfo cache) and, with `expect`, every expected record is among the answers.
 */

type RecordType = DnsMonitorConfig['record_type'];

/**
 * Resolvers are shared per (server, timeout): a c-ares channel is not free to create, and a check runs
 * every few seconds. The deadline race below is what ends the check on time (cancel() would cancel every
 * query on a shared channel); c-ares gets one try of slightly more than the monitor's timeout, so an
 * unanswered query is dropped soon after the check gave up on it, and the error the check reports is
 * always its own "timeout after N ms".
 */
const RESOLVER_GRACE_MS = 250;
const resolvers = new Map<string, Promise<dns.Resolver>>();

function resolverFor(server: string | undefined, timeoutMs: number): Promise<dns.Resolver> {
  const key = `${server ?? ''}|${timeoutMs}`;
  let resolver = resolvers.get(key);
  if (!resolver) {
    if (resolvers.size >= 256) resolvers.clear();
    resolver = createResolver(server, timeoutMs);
    resolvers.set(key, resolver);
    resolver.catch(() => resolvers.delete(key));
  }
  return resolver;
}

async function createResolver(server: string | undefined, timeoutMs: number): Promise<dns.Resolver> {
  const resolver = new dns.Resolver({ timeout: timeoutMs + RESOLVER_GRACE_MS, tries: 1 });
  if (server !== undefined) resolver.setServers([await serverAddress(server)]);
  return resolver;
}

/** "1.1.1.1", "1.1.1.1:5353", "[::1]:53", "::1" or "ns1.example.com[:port]" → what setServers accepts (IPs only). */
async function serverAddress(server: string): Promise<string> {
  if (net.isIP(server)) return server;
  if (/^\[[^\]]+\](?::\d+)?$/.test(server)) return server;
  const m = /^(.+?)(?::(\d+))?$/.exec(server)!;
  const host = m[1]!;
  const port = m[2];
  if (net.isIP(host)) return server;
  const { address, family } = await dns.lookup(host);
  if (!port) return address;
  return family === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Answers as text, one per record, in the form `expect` entries are written. */
async function query(resolver: dns.Resolver, hostname: string, type: RecordType): Promise<string[]> {
  switch (type) {
    case 'A':
      return resolver.resolve4(hostname);
    case 'AAAA':
      return resolver.resolve6(hostname);
    case 'CNAME':
      return resolver.resolveCname(hostname);
    case 'NS':
      return resolver.resolveNs(hostname);
    case 'TXT':
      return (await resolver.resolveTxt(hostname)).map((chunks) => chunks.join(''));
    case 'MX':
      return (await resolver.resolveMx(hostname)).map((r) => `${r.priority} ${r.exchange}`);
    case 'SRV':
      return (await resolver.resolveSrv(hostname)).map((r) => `${r.priority} ${r.weight} ${r.port} ${r.name}`);
  }
}

function normalize(value: string): string {
  return value.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * An expected record matches an answer written in full ("10 mail.example.com") or, for MX and SRV, by its
 * target name alone ("mail.example.com"). Names compare without case or trailing dot; TXT compares exactly.
 */
function matches(expected: string, answer: string, type: RecordType): boolean {
  if (type === 'TXT') return expected === answer;
  const e = normalize(expected);
  const a = normalize(answer);
  if (e === a) return true;
  if (type === 'MX' || type === 'SRV') return a.endsWith(` ${e}`);
  if (type === 'AAAA' && net.isIPv6(e) && net.isIPv6(a)) return expandIPv6(e) === expandIPv6(a);
  return false;
}

function expandIPv6(ip: string): string {
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.map((g) => g.padStart(4, '0')).join(':');
}

/** DNS error codes that mean the server answered (the name or record does not exist): not worth a retry. */
const ANSWERED = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME', 'EREFUSED', 'EFORMERR', 'ESERVFAIL', 'EBADNAME', 'EBADRESP']);

export const dnsCheck: CheckType<DnsMonitorConfig> = {
  type: 'dns',
  async run(monitor, ctx) {
    const started = performance.now();
    const deadline = startDeadline(ctx.signal, monitor.timeout);
    const aborted = abortPromise(deadline.signal);
    try {
      let answers: string[];
      try {
        const resolver = await Promise.race([resolverFor(monitor.resolver, monitor.timeout), aborted.promise]);
        answers = await Promise.race([query(resolver, monitor.hostname, monitor.record_type), aborted.promise]);
      } catch (err) {
        const total = ms(performance.now() - started);
        const code = (err as { code?: string }).code;
        const what = code === 'ENODATA' || code === 'ENOTFOUND' ? `no ${monitor.record_type} records for ${monitor.hostname} (${code})` : describeError(err);
        return failed(what, total, { networkError: !(code && ANSWERED.has(code)), timings: { dns_ms: total, total_ms: total }, measurements: { dns_ms: total, total_ms: total } });
      }
      const total = ms(performance.now() - started);
      const assertions: AssertionResult[] = (monitor.expect ?? []).map((expected) => ({
        name: `${monitor.record_type} record`,
        pass: answers.some((a) => matches(expected, a, monitor.record_type)),
        expected: JSON.stringify(expected),
        actual: preview(answers.join(', ')) || '(no answers)',
      }));
      const failure = assertions.find((a) => !a.pass);
      const outcome: CheckOutcome = {
        status: failure ? 'down' : 'up',
        networkError: false,
        timings: { dns_ms: total, total_ms: total },
        assertions,
        measurements: { dns_ms: total, total_ms: total, answers: answers.length },
        info: { answers: answers.join(', ') },
        attempts: 1,
      };
      if (failure) outcome.error = `expected ${monitor.record_type} record ${failure.expected} among the answers, got ${failure.actual}`;
      return outcome;
    } finally {
      aborted.dispose();
      deadline.dispose();
    }
  },
};
