import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ErrorBoundary, LocationProvider, Route, Router, lazy } from 'preact-iso';
import type { Whoami } from '../../contract/whoami.schema.ts';
import { ApiClient, ApiError } from './api.client.ts';
import { SessionContext, forgetToken, storedToken, storeToken, type Session } from './session.ts';
import { Layout } from './components/layout.component.tsx';
import { SignInView } from './views/sign-in.view.tsx';
import { HealthView } from './views/health.view.tsx';
import { NotFoundView } from './views/not-found.view.tsx';

// Views with heavy libraries (the graph, the charts) load on first use, so the health page's first
// load carries neither.
const MapView = lazy(() => import('./views/map.view.tsx').then((m) => m.MapView));
const MonitorView = lazy(() => import('./views/monitor.view.tsx').then((m) => m.MonitorView));
const SlaView = lazy(() => import('./views/sla.view.tsx').then((m) => m.SlaView));
const IncidentsView = lazy(() => import('./views/incidents.view.tsx').then((m) => m.IncidentsView));
const IncidentView = lazy(() => import('./views/incident.view.tsx').then((m) => m.IncidentView));
const TeamView = lazy(() => import('./views/team.view.tsx').then((m) => m.TeamView));
const OverviewView = lazy(() => import('./views/overview.view.tsx').then((m) => m.OverviewView));
const StatusPagesView = lazy(() => import('./views/status-pages.view.tsx').then((m) => m.StatusPagesView));
const StatusPageView = lazy(() => import('./views/status-page.view.tsx').then((m) => m.StatusPageView));

type Phase = { kind: 'checking' } | { kind: 'signed-out'; reason?: string } | { kind: 'signed-in'; me: Whoami };

/** The console: signs in (a token typed in, or the identity an auth proxy adds), then shows the views. */
export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: 'checking' });
  const signOut = useCallback((reason?: string) => {
    forgetToken();
    setPhase({ kind: 'signed-out', ...(reason ? { reason } : {}) });
  }, []);
  const api = useMemo(() => new ApiClient(storedToken, () => signOut('Your sign-in has expired or was revoked; sign in again.')), [signOut]);

  const identify = useCallback(async (): Promise<void> => {
    try {
      setPhase({ kind: 'signed-in', me: await api.get<Whoami>('/v1/me') });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setPhase({ kind: 'signed-out', ...(storedToken() ? { reason: error.message } : {}) });
      else setPhase({ kind: 'signed-out', reason: `Pharos did not answer: ${(error as Error).message}` });
    }
  }, [api]);

  useEffect(() => void identify(), [identify]);

  // A credential with an expiry signs out when it lapses, not at the next failing request.
  const me = phase.kind === 'signed-in' ? phase.me : undefined;
  useEffect(() => {
    if (!me?.expires_at) return;
    const left = Date.parse(me.expires_at) - Date.now();
    const timer = setTimeout(() => signOut('Your token expired; sign in again.'), Math.max(0, Math.min(left, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [me?.expires_at, signOut]);

  if (phase.kind === 'checking') return <p class="splash" role="status">Loading Pharos…</p>;
  if (phase.kind === 'signed-out') {
    return (
      <SignInView
        reason={phase.reason}
        onToken={async (token) => {
          storeToken(token);
          await identify();
        }}
      />
    );
  }
  const session: Session = { me: phase.me, api, signOut: () => signOut() };
  return (
    <SessionContext.Provider value={session}>
      <LocationProvider>
        <Layout>
          <ErrorBoundary>
            <Router>
              <Route path="/" component={HealthView} />
              <Route path="/map" component={MapView} />
              <Route path="/incidents" component={IncidentsView} />
              <Route path="/incidents/:id" component={IncidentView} />
              <Route path="/monitors/:id" component={MonitorView} />
              <Route path="/sla" component={SlaView} />
              <Route path="/teams/:id" component={TeamView} />
              <Route path="/overview" component={OverviewView} />
              <Route path="/status-pages" component={StatusPagesView} />
              <Route path="/status-pages/:id" component={StatusPageView} />
              <Route default component={NotFoundView} />
            </Router>
          </ErrorBoundary>
        </Layout>
      </LocationProvider>
    </SessionContext.Provider>
  );
}
