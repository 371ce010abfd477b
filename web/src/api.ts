import type { ChangeKind, StreamTicket } from '../../src/server/responses/session';

/** The dashboard's only way to the server: JSON over fetch with the signed-in token. */

const TOKEN_KEY = 'medic.token';

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const token = getToken();
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  const data: unknown = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    const message = typeof data === 'object' && data && 'message' in data ? String((data as { message: unknown }).message) : `HTTP ${res.status}`;
    throw new ApiError(res.status, message);
  }
  return data as T;
}

/**
 * Server-sent events: the server says what kind of data changed; the queries that show it refetch
 * (queries.ts). EventSource cannot send headers and a token never goes in a URL, so the stream opens
 * with a stream ticket asked for with the token (it opens the stream only, within 30 s). When the
 * stream breaks (a restart, a lost connection, the token revoked) a new ticket is asked for;
 * EventSource's own retry would reuse the old one. `onUnauthorized`: the token is no longer valid.
 */
export function subscribe(onChange: (kind: ChangeKind | 'reconnected') => void, onUnauthorized: () => void): () => void {
  let source: EventSource | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let opened = 0;
  const again = () => {
    if (!stopped) retry = setTimeout(() => void open(), 3000);
  };
  const open = async () => {
    let ticket: string;
    try {
      ({ ticket } = await api<StreamTicket>('/api/stream/ticket', { method: 'POST' }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onUnauthorized();
      else again();
      return;
    }
    if (stopped) return;
    const s = new EventSource(`/api/stream?ticket=${encodeURIComponent(ticket)}`);
    source = s;
    s.addEventListener('change', (e) => onChange((e as MessageEvent).data as ChangeKind));
    // After a break, changes may have been missed: refetch once.
    s.addEventListener('open', () => {
      if (opened++ > 0) onChange('reconnected');
    });
    s.addEventListener('error', () => {
      s.close();
      if (source === s) again();
    });
  };
  void open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    source?.close();
  };
}
