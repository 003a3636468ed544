// The signed-in frame: a skip link, the banner with navigation and the user, the routed page in
// <main>. Tenancy is listed for admins only (the API refuses the others anyway).
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { errorText, type ApiClient, type Session } from './api-client.js';
import { AppContextValue, abilitiesOf } from './app-context.js';
import { roleName } from './format.js';
import { useLiveState, type LiveEvents } from './live-events.js';
import { AgentsPage } from './pages/agents.js';
import { MachinePage } from './pages/machine.js';
import { MachinesPage } from './pages/machines.js';
import { NotFound } from './pages/not-found.js';
import { TenancyPage } from './pages/tenancy.js';
import { VmHostsPage } from './pages/vm-hosts.js';

function NavLink({ href, children }: { href: string; children: string }): JSX.Element {
  const { path } = useLocation();
  const current = href === '/' ? path === '/' || path.startsWith('/machines') : path.startsWith(href);
  return (
    <a href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}

function LiveIndicator({ live }: { live: LiveEvents }): JSX.Element {
  const state = useLiveState(live);
  const text = state.type === 'open' ? 'live' : state.type === 'connecting' ? 'reconnecting…' : 'offline';
  return (
    <span class={`live live-${state.type}`} role="status" title="Live updates from the event stream">
      {text}
    </span>
  );
}

export function Shell({
  api,
  live,
  session,
  onSignedOut,
}: {
  api: ApiClient;
  live: LiveEvents;
  session: Session;
  onSignedOut: () => void;
}): JSX.Element {
  const context = useMemo(() => ({ api, live, session }), [api, live, session]);
  const can = abilitiesOf(session);
  const [signOutError, setSignOutError] = useState('');
  const signOut = (): void => {
    api.signOut().then(onSignedOut, (e: unknown) => setSignOutError(errorText(e)));
  };
  return (
    <AppContextValue.Provider value={context}>
      <LocationProvider>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="banner">
          <span class="brand">Mooring</span>
          <nav aria-label="Main">
            <NavLink href="/">Machines</NavLink>
            <NavLink href="/agents">Agents</NavLink>
            <NavLink href="/vm-hosts">VM hosts</NavLink>
            {can.admin ? <NavLink href="/tenancy">Tenancy</NavLink> : null}
          </nav>
          <div class="who">
            <LiveIndicator live={live} />
            <span>
              {session.user.name} <span class="muted">({roleName(session.user.role)})</span>
            </span>
            <button type="button" class="secondary" onClick={signOut}>
              Sign out
            </button>
          </div>
        </header>
        {signOutError ? (
          <p class="error" role="alert">
            {signOutError}
          </p>
        ) : null}
        <main id="main" tabIndex={-1}>
          <Router>
            <Route path="/" component={MachinesPage} />
            <Route path="/machines" component={MachinesPage} />
            <Route path="/machines/:id" component={MachinePage} />
            <Route path="/agents" component={AgentsPage} />
            <Route path="/agents/:name" component={AgentsPage} />
            <Route path="/vm-hosts" component={VmHostsPage} />
            <Route path="/tenancy" component={TenancyPage} />
            <Route default component={NotFound} />
          </Router>
        </main>
      </LocationProvider>
    </AppContextValue.Provider>
  );
}
