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
  {
    path: 'supervisor/queues',
    area: 'supervisor',
    role: 'supervisor',
    nav: 'nav.supervisor.queues',
    component: page(() => import('../features/supervisor/routes/live-queues-page.tsx'), (m) => m.LiveQueuesPage),
  },
  {
    path: 'supervisor/search',
    area: 'supervisor',
    role: 'supervisor',
    nav: 'nav.supervisor.search',
    component: page(() => import('../features/supervisor/routes/search-page.tsx'), (m) => m.SearchPage),
  },
  {
    path: 'supervisor/quarantine',
    area: 'supervisor',
    role: 'supervisor',
    nav: 'nav.supervisor.quarantine',
    component: page(() => import('../features/supervisor/routes/quarantine-page.tsx'), (m) => m.QuarantinePage),
  },
  {
    path: 'supervisor/disposed',
    area: 'supervisor',
    role: 'supervisor',
    nav: 'nav.supervisor.disposed',
    component: page(() => import('../features/supervisor/routes/disposed-page.tsx'), (m) => m.DisposedPage),
  },
  {
    path: 'supervisor/dead-letters',
    area: 'supervisor',
    role: 'supervisor',
    nav: 'nav.supervisor.deadLetters',
    component: page(() => import('../features/supervisor/routes/dead-letters-page.tsx'), (m) => m.DeadLettersPage),
  },
  // Admin pages (issue 12 item 4): the "pages" feature rows go here.
  {
    path: 'admin/domains',
    area: 'admin',
    role: 'admin',
    nav: 'nav.admin.domains',
    component: page(() => import('../features/admin-domains/routes/domains-page.tsx'), (m) => m.DomainsPage),
  },
  {
    path: 'admin/domains/:name',
    area: 'admin',
    role: 'admin',
    component: page(() => import('../features/admin-domains/routes/domain-page.tsx'), (m) => m.DomainPage),
  },
  {
    path: 'admin/addresses',
    area: 'admin',
    role: 'admin',
    nav: 'nav.admin.addresses',
    component: page(() => import('../features/admin-addresses/routes/addresses-page.tsx'), (m) => m.AddressesPage),
  },
  {
    path: 'admin/queues',
    area: 'admin',
    role: 'admin',
    nav: 'nav.admin.queues',
    component: page(() => import('../features/admin-queues/routes/queues-page.tsx'), (m) => m.QueuesPage),
  },
  {
    path: 'admin/agents',
    area: 'admin',
    role: 'admin',
    nav: 'nav.admin.agents',
    component: page(() => import('../features/admin-agents/routes/agents-page.tsx'), (m) => m.AgentsPage),
  },
  {
    path: 'admin/users',
    area: 'admin',
    role: 'admin',
    nav: 'nav.admin.users',
    component: page(() => import('../features/admin-agents/routes/users-page.tsx'), (m) => m.UsersPage),
  },
  {
    path: 'admin/flows',
    area: 'admin',
    role: 'admin',
    nav: 'nav.admin.flows',
    component: page(() => import('../features/admin-flows/routes/flows-page.tsx'), (m) => m.FlowsPage),
  },
  {
    path: 'admin/flows/new',
    area: 'admin',
    role: 'admin',
    component: page(() => import('../features/admin-flows/routes/flow-page.tsx'), (m) => m.FlowNewPage),
  },
  {
    path: 'admin/flows/:flowId',
    area: 'admin',
    role: 'admin',
    component: page(() => import('../features/admin-flows/routes/flow-page.tsx'), (m) => m.FlowPage),
  },
  {
    path: 'admin/templates',
    area: 'admin',
    role: 'admin',
    nav: 'nav.admin.templates',
    component: page(() => import('../features/admin-flows/routes/templates-page.tsx'), (m) => m.TemplatesPage),
  },
  {
    path: 'admin/servers',
    area: 'admin',
    role: 'admin',
    nav: 'nav.admin.servers',
    component: page(() => import('../features/admin-servers/routes/servers-page.tsx'), (m) => m.ServersPage),
  },
  {
    path: 'admin/servers/new',
    area: 'admin',
    role: 'admin',
    component: page(() => import('../features/admin-servers/routes/server-edit-page.tsx'), (m) => m.ServerAddPage),
  },
  {
    path: 'admin/servers/:serverId',
    area: 'admin',
    role: 'admin',
    component: page(() => import('../features/admin-servers/routes/server-edit-page.tsx'), (m) => m.ServerEditPage),
  },
  {
    path: 'admin/smtp',
    area: 'admin',
    role: 'admin',
    nav: 'nav.admin.smtp',
    component: page(() => import('../features/admin-outbound/routes/smtp-page.tsx'), (m) => m.SmtpIntegrationsPage),
  },
  {
    path: 'admin/suppressions',
    area: 'admin',
    role: 'admin',
    nav: 'nav.admin.suppressions',
    component: page(() => import('../features/admin-outbound/routes/suppressions-page.tsx'), (m) => m.SuppressionsPage),
  },
];
