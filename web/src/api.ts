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

/** Server-sent events: the server says something changed; pages refetch what they show. */
export function subscribe(onChange: (kind: string) => void): () => void {
  const token = getToken();
  if (!token) return () => {};
  const source = new EventSource(`/api/stream?token=${encodeURIComponent(token)}`);
  source.addEventListener('change', (e) => onChange((e as MessageEvent).data as string));
  return () => source.close();
}
