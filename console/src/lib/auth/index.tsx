/**
 * The signed-in session as React sees it: the config and sign-out. The sign-in itself happens
 * before React renders anything (app/boot.ts), so every page can assume a token.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { ConsoleConfig } from '../config.ts';
import { signOut } from './session.ts';

export { accessToken, beginSignIn, completeSignIn, dropSession, restoreSession, wasSignedOut } from './session.ts';

interface AuthState {
  readonly config: ConsoleConfig;
  readonly signOut: () => void;
}

const AuthContext = createContext<AuthState | undefined>(undefined);

/** Provides the config and sign-out to the pages. */
export function AuthProvider({ config, children }: { readonly config: ConsoleConfig; readonly children: ReactNode }) {
  return <AuthContext.Provider value={{ config, signOut: () => signOut(config) }}>{children}</AuthContext.Provider>;
}

/** The config and sign-out; only inside {@link AuthProvider}. */
export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}
