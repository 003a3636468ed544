// The console's entry point: find out whether a session exists, then show sign-in or the shell.
import './app.css';
import { render, type JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient, type Session } from './api-client.js';
import { LiveEvents } from './live-events.js';
import { Shell } from './shell.js';
import { SignIn } from './pages/sign-in.js';
import { ErrorNote, Loading } from './page-parts.js';

type AppState = { type: 'checking' } | { type: 'signed-out'; why?: string } | { type: 'signed-in'; session: Session };

function App(): JSX.Element {
  const api = useMemo(() => new ApiClient(), []);
  const [state, setState] = useState<AppState>({ type: 'checking' });
  const [error, setError] = useState<unknown>(undefined);
  const live = useMemo(
    () =>
      new LiveEvents(() => {
        // The stream was refused: if the session is gone, ask for a token again.
        api
          .currentSession()
          .then(
            (s) => setState(s ? { type: 'signed-in', session: s } : { type: 'signed-out', why: 'Your session ended. Sign in again.' }),
            setError,
          );
      }),
    [api],
  );

  useEffect(() => {
    api.onSessionEnded = (e) => setState({ type: 'signed-out', why: `Your session ended: ${e.message}` });
    api.currentSession().then((s) => setState(s ? { type: 'signed-in', session: s } : { type: 'signed-out' }), setError);
  }, [api]);

  useEffect(() => {
    if (state.type === 'signed-in') live.start();
    else live.stop('signed out');
  }, [state.type, live]);

  if (error !== undefined)
    return (
      <main id="main">
        <ErrorNote error={error} />
      </main>
    );
  if (state.type === 'checking')
    return (
      <main id="main">
        <Loading what="the console" />
      </main>
    );
  if (state.type === 'signed-out')
    return <SignIn api={api} notice={state.why} onSignedIn={(session) => setState({ type: 'signed-in', session })} />;
  return <Shell api={api} live={live} session={state.session} onSignedOut={() => setState({ type: 'signed-out', why: 'Signed out.' })} />;
}

const root = document.getElementById('app');
if (root) render(<App />, root);
