import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { CommandCenterPage } from './pages/command-center';
import { CoveragePage } from './pages/coverage';
import { FlagsPage } from './pages/flags';
import { IncidentPage } from './pages/incident';
import { IncidentsPage } from './pages/incidents';
import { MonitorPage } from './pages/monitor';
import { MonitorsPage } from './pages/monitors';
import { OncallPage } from './pages/oncall';
import { ReportPage } from './pages/report';
import { SignIn } from './pages/sign-in';
import { queryClient } from './queries';
import { navigate, useRoute } from './router';
import { SessionProvider, useSession } from './session';

/** The pages, in the order of the navigation. Each page is one file under pages/. */
const NAV = [
  ['', 'Command center'],
  ['incidents', 'Incidents'],
  ['monitors', 'Monitors'],
  ['flags', 'Flags'],
  ['mttr', 'MTTR'],
  ['coverage', 'Coverage'],
  ['oncall', 'On call'],
] as const;

function Shell() {
  const route = useRoute();
  const session = useSession();
  const [first, second] = route.path;
  let page;
  if (first === 'incidents' && second) page = <IncidentPage id={Number(second)} />;
  else if (first === 'incidents') page = <IncidentsPage />;
  else if (first === 'monitors' && second) page = <MonitorPage id={Number(second)} />;
  else if (first === 'monitors') page = <MonitorsPage />;
  else if (first === 'flags') page = <FlagsPage />;
  else if (first === 'mttr') page = <ReportPage />;
  else if (first === 'coverage') page = <CoveragePage />;
  else if (first === 'oncall') page = <OncallPage />;
  else page = <CommandCenterPage />;
  useEffect(() => {
    if (first && !NAV.some(([path]) => path === first)) navigate('/');
  }, [first]);
  return (
    <div className="shell">
      <nav className="top">
        <a className="brand" href="#/">Medic</a>
        <div className="links">
          {NAV.map(([path, label]) => (
            <a key={path} href={`#/${path}`} aria-current={(first ?? '') === path ? 'page' : undefined}>
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
    <QueryClientProvider client={queryClient}>
      <SessionProvider signIn={(onToken, error) => <SignIn onToken={onToken} error={error} />}>
        <Shell />
      </SessionProvider>
    </QueryClientProvider>
  );
}
