// What every page needs: the API client, the live event stream and who is signed in.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient, Session } from './api-client.js';
import type { LiveEvents } from './live-events.js';

export interface AppContext {
  readonly api: ApiClient;
  readonly live: LiveEvents;
  readonly session: Session;
}

export const AppContextValue = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const app = useContext(AppContextValue);
  if (!app) throw new Error('useApp outside the signed-in shell');
  return app;
}

/**
 * What the signed-in user's role lets the console offer. The API decides every call anyway; this
 * only keeps buttons away that could never succeed (an observer sees none).
 */
export interface Abilities {
  readonly admin: boolean;
  /** Admins and members change things; observers only read. */
  readonly write: boolean;
}

export function abilitiesOf(session: Session): Abilities {
  const role = session.user.role;
  return { admin: role === 'ROLE_ADMIN', write: role === 'ROLE_ADMIN' || role === 'ROLE_MEMBER' };
}
