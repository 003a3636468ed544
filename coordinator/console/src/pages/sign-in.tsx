// Sign-in: a bearer token pasted once and exchanged for a session cookie. The token stays in this
// form only until the exchange; it is never stored by the page.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiClient, Session } from '../api-client.js';
import { ErrorNote } from '../page-parts.js';

export function SignIn({
  api,
  notice,
  onSignedIn,
}: {
  api: ApiClient;
  notice: string | undefined;
  onSignedIn: (session: Session) => void;
}): JSX.Element {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = (e: Event): void => {
    e.preventDefault();
    if (!token.trim()) {
      setError(new Error('Paste a token first.'));
      return;
    }
    setBusy(true);
    api.signIn(token.trim()).then(
      (session) => {
        setToken('');
        onSignedIn(session);
      },
      (err: unknown) => {
        setBusy(false);
        setError(err);
      },
    );
  };
  return (
    <main id="main" class="sign-in">
      <h1>Mooring console</h1>
      {notice ? <p role="status">{notice}</p> : null}
      <form onSubmit={submit} class="panel">
        <label for="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          aria-describedby="token-help"
        />
        <p id="token-help" class="muted">
          Paste a token from <code>moorctl token create</code>. It is exchanged for a session cookie and not kept by this page.
        </p>
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
