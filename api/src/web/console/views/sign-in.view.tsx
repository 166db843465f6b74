import { useState } from 'preact/hooks';

/** Sign-in with an API token (kept for this browser tab only). */
export function SignInView({ reason, onToken }: { reason?: string | undefined; onToken: (token: string) => Promise<void> }) {
  const [token, setToken] = useState('');
  return (
    <main id="main" class="sign-in">
      <h1>Sign in to Pharos</h1>
      {reason ? <p role="alert">{reason}</p> : null}
      <form onSubmit={(e) => { e.preventDefault(); void onToken(token.trim()); }}>
        <label for="token">API token or identity-provider token</label>
        <input id="token" type="password" autoComplete="off" value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} required />
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
