import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
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

/**
 * Where the console is in its session. `proxied`: the identity came from an auth proxy in front of
 * Pharos (GET /v1/me answered with no token typed in), not from a token kept in this tab.
 */
type Phase = { kind: 'checking' } | { kind: 'signed-out'; reason?: string; proxied?: boolean } | { kind: 'signed-in'; me: Whoami; proxied: boolean };

// How often an open console asks GET /v1/me whether its credential still works, so that a revoked
// token signs the page out even when no view is loading anything.
const recheckEveryMs = 60_000;
// setTimeout holds at most 2^31 - 1 ms (24.8 days); a later expiry is waited for in steps.
const longestTimerMs = 2 ** 31 - 1;

/** The console: signs in (a token typed in, or the identity an auth proxy adds), then shows the views. */
export function App() {
  const [phase, setPhase] = useState<Phase>({ kind: 'checking' });
  const signOut = useCallback((reason?: string, proxied?: boolean) => {
    forgetToken();
    setPhase({ kind: 'signed-out', ...(reason ? { reason } : {}), ...(proxied ? { proxied } : {}) });
  }, []);
  // A 401 (expired, revoked, unknown credential) ends the session with the API's reason, if that
  // session is still the one the request was sent in: signed in, with the same token (or none).
  const signedIn = useRef(false);
  signedIn.current = phase.kind === 'signed-in';
  const api = useMemo(
    () => new ApiClient(storedToken, (message, sentToken) => {
      if (signedIn.current && sentToken === storedToken()) signOut(`You were signed out: ${message}`);
    }),
    [signOut],
  );

  /**
   * Asks GET /v1/me who the credentials are: the tab's token, or none (an auth proxy may add one).
   * `firstLoad`: a 401 with no token is simply "not signed in yet" and shows no message.
   */
  const identify = useCallback(async (firstLoad = false): Promise<void> => {
    const proxied = !storedToken();
    try {
      setPhase({ kind: 'signed-in', me: await api.get<Whoami>('/v1/me'), proxied });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        forgetToken();
        setPhase({ kind: 'signed-out', ...(firstLoad && proxied ? {} : { reason: error.message }) });
      } else if (error instanceof ApiError && error.status === 403) {
        // A valid identity with no role in Pharos (the message says whom to ask).
        forgetToken();
        setPhase({ kind: 'signed-out', reason: error.message });
      } else {
        // The server could not answer (down, restarting): the tab keeps its token for the next try.
        setPhase({ kind: 'signed-out', reason: `Pharos could not say who you are (${(error as Error).message}); try again in a moment.`, proxied });
      }
    }
  }, [api]);

  useEffect(() => void identify(true), [identify]);

  const me = phase.kind === 'signed-in' ? phase.me : undefined;
  const proxied = phase.kind === 'signed-in' && phase.proxied;

  // A credential with an expiry ends when it lapses, not at the next failing request. A token of
  // this tab signs out; an auth proxy's identity is asked for again (the proxy renews its token).
  useEffect(() => {
    if (!me?.expires_at) return;
    const expiresAt = Date.parse(me.expires_at);
    let timer: ReturnType<typeof setTimeout>;
    const wait = () => {
      const left = expiresAt - Date.now();
      if (left > longestTimerMs) {
        timer = setTimeout(wait, longestTimerMs);
        return;
      }
      timer = setTimeout(() => {
        if (proxied) void identify();
        else signOut(`Your token expired at ${new Date(expiresAt).toLocaleString()}; sign in with a new one.`);
      }, Math.max(0, left));
    };
    wait();
    return () => clearTimeout(timer);
  }, [me?.expires_at, proxied, identify, signOut]);

  // A revoked credential: asked again every minute and whenever the tab comes back into view; a 401
  // signs out through the client (above).
  useEffect(() => {
    if (!me) return;
    const recheck = () => {
      if (document.visibilityState === 'visible') api.get<Whoami>('/v1/me').catch(() => undefined);
    };
    const timer = setInterval(recheck, recheckEveryMs);
    document.addEventListener('visibilitychange', recheck);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', recheck);
    };
  }, [me, api]);

  if (phase.kind === 'checking') return <p class="splash" role="status">Loading Pharos…</p>;
  if (phase.kind === 'signed-out') {
    return (
      <SignInView
        reason={phase.reason}
        proxied={phase.proxied ?? false}
        onToken={async (token) => {
          storeToken(token);
          await identify();
        }}
        onProxy={() => identify()}
      />
    );
  }
  const session: Session = {
    me: phase.me,
    api,
    // Signing out forgets the tab's token; an auth proxy's session is the proxy's to end.
    signOut: () => signOut(phase.proxied ? 'You signed out of this console. Your identity-provider session is kept by the sign-in proxy in front of Pharos; sign out there to end it.' : 'You signed out.', phase.proxied),
  };
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
