import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { ChangeKind, Me } from '../../src/server/responses/session';
import { api, ApiError, getToken, setToken, subscribe } from './api';
import { refresh } from './queries';

/**
 * Who is signed in and what their role allows; while someone is, the server's change events refresh
 * the queries they touch (queries.ts).
 */

export type Role = Me['role'];
// A flags token may evaluate flags and nothing else: the server refuses it here (403 on /api/me).
const RANK: Record<Role, number> = { flags: 0, viewer: 1, responder: 2, admin: 3 };

interface Session {
  name: string;
  role: Role;
  can(role: Role): boolean;
  signOut(): void;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('no session');
  return s;
}

export function SessionProvider({ children, signIn }: { children: ReactNode; signIn: (onToken: (t: string) => void, error?: string) => ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [error, setError] = useState<string>();
  const client = useQueryClient();

  const load = useCallback(async () => {
    if (!getToken()) return setMe(null);
    try {
      setMe(await api<Me>('/api/me'));
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

  // Whoever signs in next sees nothing of what the last token was shown.
  const signOut = useCallback(() => {
    setToken(null);
    setMe(null);
    client.clear();
  }, [client]);

  useEffect(() => {
    if (!me) return;
    // Coalesce bursts of changes (an alert storm) into one refresh a second at most, of what they touch.
    let pending: ReturnType<typeof setTimeout> | undefined;
    const kinds = new Set<ChangeKind>();
    let everything = false;
    const unsubscribe = subscribe(
      (kind) => {
        if (kind === 'reconnected') everything = true;
        else kinds.add(kind);
        pending ??= setTimeout(() => {
          pending = undefined;
          // After a break, changes may have been missed: everything is refetched once.
          void (everything ? client.invalidateQueries() : refresh(client, [...kinds]));
          kinds.clear();
          everything = false;
        }, 1000);
      },
      () => {
        // The token was revoked: back to the sign-in form, saying why.
        signOut();
        setError('That token is not valid (any more).');
      },
    );
    return () => {
      unsubscribe();
      if (pending) clearTimeout(pending);
    };
  }, [me, client, signOut]);

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
  const session: Session = { ...me, can: (role) => RANK[me.role] >= RANK[role], signOut };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
