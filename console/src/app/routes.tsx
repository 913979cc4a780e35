/**
 * The console's route registry: every page, the area it belongs to, the weakest role that may open
 * it and its navigation label. Pages are lazy chunks, so the first page loads only its own code
 * (budget: 150 KB gzipped, test/bench). Feature owners add their rows here; nothing else registers
 * routes. Paths are relative to the HashRouter (`#/workspace`, `#/admin/servers`).
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Role } from '../lib/authorization.tsx';
import type { CommonKey } from '../lib/i18n/common/index.ts';

/** The navigation groups, in menu order. */
export const AREAS = ['workspace', 'supervisor', 'admin'] as const;
export type Area = (typeof AREAS)[number];

/** One page of the console. */
export interface ConsoleRoute {
  /** The path under the hash, without the leading slash; may hold `:params`. */
  readonly path: string;
  readonly area: Area;
  /** The weakest role that may open it (the API checks again). */
  readonly role: Role;
  /** Its label in the navigation; pages without one (details) are not listed. */
  readonly nav?: CommonKey;
  readonly component: LazyExoticComponent<ComponentType>;
}

/** `lazy()` over a named export, so pages need no default export. */
function page<M>(load: () => Promise<M>, pick: (m: M) => ComponentType): LazyExoticComponent<ComponentType> {
  return lazy(() => load().then((m) => ({ default: pick(m) })));
}

export const routes: readonly ConsoleRoute[] = [
  // Agent workspace (issue 12 item 2).
  {
    path: 'workspace',
    area: 'workspace',
    role: 'agent',
    nav: 'nav.workspace',
    component: page(() => import('../features/workspace/routes/workspace-page.tsx'), (m) => m.WorkspacePage),
  },
  {
    path: 'workspace/:interactionId',
    area: 'workspace',
    role: 'agent',
    component: page(() => import('../features/workspace/routes/workspace-page.tsx'), (m) => m.WorkspacePage),
  },
  // Supervisor view (issue 12 item 3): the "pages" feature rows go here.
  // Admin pages (issue 12 item 4): the "pages" feature rows go here.
];
