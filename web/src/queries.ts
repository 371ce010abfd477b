import { keepPreviousData, QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ChangeKind } from '../../src/server/responses/session';
import { api } from './api';

/**
 * The dashboard's data: every GET of the API goes through one query cache (TanStack Query), keyed by
 * its path, so a page shows what it had at once when it comes back, and a change the server reports
 * refreshes only the queries that show that kind of data.
 */

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // What the server says changed arrives on /api/stream: no refetch on focus or reconnect, and an
      // error shows at once (as it did before the cache) rather than after retries.
      retry: false,
      refetchOnWindowFocus: false,
      refetchOnReconnect: false,
      // A page whose inputs change (a filter, another incident) keeps showing the last answer until the
      // new one comes, instead of flashing "Loading…".
      placeholderData: keepPreviousData,
    },
  },
});

/**
 * A path's query key: its segments after /api, then its query parameters, so that a prefix names a
 * family: ['incidents'] is the list and every incident with its remediations; ['incidents', '12'] is
 * one incident and its remediations.
 */
export function queryKey(path: string): (string | Record<string, string>)[] {
  const [pathname = '', search] = path.split('?');
  const segments = pathname.replace(/^\/api\//, '').split('/').filter(Boolean);
  return search ? [...segments, Object.fromEntries(new URLSearchParams(search))] : segments;
}

/**
 * What each kind of change (src/runtime/change-feed.ts) can alter, as query-key prefixes. Incident
 * events also carry remediation, flag and deployment correlation, so they touch every incident query;
 * monitors show their open incident, the reports count incidents and received alerts; the command
 * center shows a bit of everything; the public status page (`public`) shows incidents and monitors.
 * Who is on call (`oncall`) comes from medic.yaml and the clock, so no change touches it: its page
 * reads it again every minute.
 */
export const TOUCHES: Record<ChangeKind, string[]> = {
  incidents: ['incidents', 'monitors', 'reports', 'command-center', 'public'],
  checks: ['monitors', 'command-center', 'public'],
  flags: ['flags', 'command-center'],
  deployments: ['command-center'],
};

/** Marks the queries the kinds touch stale: those on screen refetch now, the others when they show again. */
export function refresh(client: QueryClient, kinds: Iterable<ChangeKind>): Promise<void> {
  const prefixes = new Set([...kinds].flatMap((k) => TOUCHES[k]));
  return client.invalidateQueries({ predicate: (q) => prefixes.has(String(q.queryKey[0])) });
}

/**
 * A GET of the API through the cache; `every` ms refetches it while it shows, for what moves without
 * a change event (ages, windows that slide, Prometheus samples).
 */
export function useApi<T>(path: string, options: { every?: number } = {}): { data: T | undefined; error: string | undefined } {
  const q = useQuery({ queryKey: queryKey(path), queryFn: () => api<T>(path), refetchInterval: options.every ?? false });
  return { data: q.data, error: q.error?.message };
}

/**
 * Something a person does (a POST or PUT of the API): once done, what its kind of change touches is
 * refreshed at once, without waiting for the stream to report it.
 */
export function useChange<V>(kind: ChangeKind, send: (input: V) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: send, onSuccess: () => refresh(client, [kind]) });
}
