import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, getToken, setToken, subscribe } from './api';

/** Who is signed in, what their role allows, and a tick that changes whenever the server says so. */

export type Role = 'viewer' | 'responder' | 'admin';
const RANK: Record<Role, number> = { viewer: 1, responder: 2, admin: 3 };

interface Session {
  name: string;
  role: Role;
  can(role: Role): boolean;
  signOut(): void;
  /** Increments on every server-sent change: a dependency for data hooks. */
  tick: number;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('no session');
  return s;
}

export function SessionProvider({ children, signIn }: { children: ReactNode; signIn: (onToken: (t: string) => void, error?: string) => ReactNode }) {
  const [me, setMe] = useState<{ name: string; role: Role } | null | undefined>(undefined);
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);

  const load = useCallback(async () => {
    if (!getToken()) return setMe(null);
    try {
      setMe(await api<{ name: string; role: Role }>('/api/me'));
      setError(undefined);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setToken(null);
        setError('That token is not valid (any more).');
      } else if (err instanceof ApiError && err.status === 403) {
        // A flags token (for applications) may evaluate flags and nothing else: it cannot sign in here.
        setToken(null);
        setError(`That token cannot sign in here: ${err.message}.`);
      } else setError((err as Error).message);
      setMe(null);
    }
  }, []);

  // A ?token= sign-in link was taken out of the address before the first render (sign-in-link.ts).
  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (!me) return;
    // Coalesce bursts of changes (an alert storm) into one refresh a second at most.
    let pending: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = subscribe(
      () => {
        pending ??= setTimeout(() => {
          pending = undefined;
          setTick((t) => t + 1);
        }, 1000);
      },
      () => {
        // The token was revoked: back to the sign-in form, saying why.
        setToken(null);
        setError('That token is not valid (any more).');
        setMe(null);
      },
    );
    return () => {
      unsubscribe();
      if (pending) clearTimeout(pending);
    };
  }, [me]);

  if (me === undefined) return <div className="loading">Loading…</div>;
  if (me === null)
    return (
      <>
        {signIn((token) => {
          setToken(token);
          void load();
        }, error)}
      </>
    );
  const session: Session = {
    ...me,
    tick,
    can: (role) => RANK[me.role] >= RANK[role],
    signOut: () => {
      setToken(null);
      setMe(null);
    },
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/**
 * Fetches JSON and refetches when the server reports a change (or the inputs change), and every `every`
 * ms when given (for what changes without an event: ages, windows that slide, Prometheus samples).
 */
export function useData<T>(path: string | null, options: { every?: number } = {}): { data: T | undefined; error: string | undefined; reload: () => void } {
  const { tick } = useSession();
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (!options.every) return;
    const timer = setInterval(() => setNonce((n) => n + 1), options.every);
    return () => clearInterval(timer);
  }, [options.every]);
  useEffect(() => {
    if (!path) return;
    let live = true;
    api<T>(path).then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(undefined);
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [path, tick, nonce]);
  return { data, error, reload: () => setNonce((n) => n + 1) };
}
