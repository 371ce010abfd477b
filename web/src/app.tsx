import { useEffect, useState } from 'react';
import { IncidentPage } from './pages/incident';
import { IncidentsPage } from './pages/incidents';
import { SignIn } from './pages/sign-in';
import { navigate, useRoute } from './router';
import { SessionProvider, useSession } from './session';

/** The pages, in the order of the navigation. Each page is one file under pages/. */
const NAV = [['incidents', 'Incidents']] as const;

function Shell() {
  const route = useRoute();
  const session = useSession();
  const [first, second] = route.path;
  let page;
  if (first === 'incidents' && second) page = <IncidentPage id={Number(second)} />;
  else page = <IncidentsPage />;
  useEffect(() => {
    if (!first) navigate('/incidents');
  }, [first]);
  return (
    <div className="shell">
      <nav className="top">
        <a className="brand" href="#/">Medic</a>
        <div className="links">
          {NAV.map(([path, label]) => (
            <a key={path} href={`#/${path}`} aria-current={first === path ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </div>
        <div className="who">
          <ThemeToggle />
          <span title={`role: ${session.role}`}>{session.name}</span>
          <button className="quiet" onClick={session.signOut}>Sign out</button>
        </div>
      </nav>
      <main>{page}</main>
    </div>
  );
}

function ThemeToggle() {
  const [theme, setTheme] = useState(() => localStorage.getItem('medic.theme') ?? 'auto');
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('medic.theme', theme);
  }, [theme]);
  const next = theme === 'auto' ? 'dark' : theme === 'dark' ? 'light' : 'auto';
  return (
    <button className="quiet" aria-label={`theme: ${theme}`} title={`Theme: ${theme}`} onClick={() => setTheme(next)}>
      {theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'}
    </button>
  );
}

export function App() {
  return (
    <SessionProvider signIn={(onToken, error) => <SignIn onToken={onToken} error={error} />}>
      <Shell />
    </SessionProvider>
  );
}
