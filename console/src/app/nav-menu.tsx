/**
 * The main navigation as one row: an area with one page (the workspace) is a plain link; an area
 * with several (supervisor, administration) is a disclosure button that opens its pages below it.
 * Listing all sixteen pages inline wrapped the header to two rows at 1280 px (more in German).
 * A disclosure (a button with aria-expanded over a list of links), not an ARIA menu: the entries
 * are links, read and tabbed through as links. It closes on Escape (focus back on its button), when
 * focus or a click leaves it, and after a page is chosen.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { NavLink, useLocation } from 'react-router';
import type { CommonKey } from '../lib/i18n/common/index.ts';
import type { Translate } from '../lib/i18n/index.tsx';
import type { Area, ConsoleRoute } from './routes.tsx';

const AREA_LABELS: Readonly<Record<Area, CommonKey>> = { workspace: 'nav.workspace', supervisor: 'nav.supervisor', admin: 'nav.admin' };

/** The navigation's entries: `areas` in order, each with the routes of it the caller may open. */
export function NavMenu({ areas, t }: { readonly areas: readonly { readonly area: Area; readonly routes: readonly ConsoleRoute[] }[]; readonly t: Translate<CommonKey> }) {
  return (
    <ul className="nav-bar">
      {areas.map(({ area, routes }) =>
        routes.length === 1 ? (
          <li key={area}>
            <NavLink to={`/${routes[0]!.path}`}>{t(routes[0]!.nav!)}</NavLink>
          </li>
        ) : (
          <NavDisclosure key={area} area={area} routes={routes} t={t} />
        ),
      )}
    </ul>
  );
}

function NavDisclosure({ area, routes, t }: { readonly area: Area; readonly routes: readonly ConsoleRoute[]; readonly t: Translate<CommonKey> }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const item = useRef<HTMLLIElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const { pathname } = useLocation();
  // A page was chosen (or the address changed): the list has done its job.
  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return undefined;
    const outside = (e: MouseEvent) => {
      if (!item.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);
  const current = pathname.startsWith(`/${area}/`) || pathname === `/${area}`;
  return (
    <li
      ref={item}
      className="nav-disclosure"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          setOpen(false);
          button.current?.focus();
        }
      }}
      onBlur={(e) => {
        if (!item.current?.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button ref={button} type="button" className={`nav-toggle${current ? ' active' : ''}`} aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
        {t(AREA_LABELS[area])}
      </button>
      <ul id={id} className="nav-list" hidden={!open}>
        {routes.map((r) => (
          <li key={r.path}>
            <NavLink to={`/${r.path}`}>{t(r.nav!)}</NavLink>
          </li>
        ))}
      </ul>
    </li>
  );
}
