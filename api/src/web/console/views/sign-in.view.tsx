import { useState } from 'preact/hooks';

interface Props {
  /** Why the console is on this page (signed out, token expired or revoked, API's refusal). */
  reason?: string | undefined;
  /** The last identity came from an auth proxy in front of Pharos: offer to continue with it. */
  proxied: boolean;
  /** Signs in with a token (a Pharos API token or an identity-provider JWT); resolves when answered. */
  onToken: (token: string) => Promise<void>;
  /** Signs in again with the identity the auth proxy adds. */
  onProxy: () => Promise<void>;
}

/**
 * Sign-in with an API token or a pasted identity-provider JWT. The token is kept in this tab's
 * sessionStorage only (never in a cookie or a URL); GET /v1/me checks it and its answer's message is
 * shown when it is refused.
 */
export function SignInView({ reason, proxied, onToken, onProxy }: Props) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="sign-in">
      <h1>Sign in to Pharos</h1>
      {reason ? <p class="sign-in-reason" role="alert">{reason}</p> : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const value = token.trim();
          if (value && !busy) void run(() => onToken(value));
        }}
      >
        <label for="token">API token or identity-provider token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellcheck={false}
          aria-describedby="token-help"
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
          required
        />
        <p id="token-help" class="hint">
          A Pharos API token (<code>phs_…</code>) or a JWT from your identity provider. It is kept in this browser tab only
          and forgotten when you sign out or close the tab.
        </p>
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
      {proxied ? (
        <p>
          <button type="button" class="secondary" disabled={busy} onClick={() => void run(onProxy)}>Continue with your identity-provider session</button>
        </p>
      ) : null}
      <p class="hint">
        Behind a sign-in proxy (such as oauth2-proxy) the console signs you in by itself. The REST API is described at <a href="/docs">/docs</a>.
      </p>
    </main>
  );
}
