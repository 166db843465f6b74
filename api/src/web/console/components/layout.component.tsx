import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useSession } from '../session.ts';
import { LiveIndicator } from './live-indicator.component.tsx';

const links = [
  { href: '/', label: 'Health' },
  { href: '/map', label: 'Map' },
  { href: '/incidents', label: 'Incidents' },
  { href: '/sla', label: 'SLA' },
  { href: '/status-pages', label: 'Status pages' },
] as const;

/** "org admin", or the principal's team roles: what the signed-in credential may do. */
function roleText(me: ReturnType<typeof useSession>['me']): string {
  if (me.org_admin) return 'org admin';
  if (me.teams.length === 0) return 'no team';
  return me.teams.map((t) => `${t.role.replace(/_/g, ' ')} of ${t.name}`).join(', ');
}

/**
 * The frame around every view: skip link, navigation (a disclosure button opens it on narrow
 * screens), who is signed in, sign-out.
 */
export function Layout({ children }: { children: ComponentChildren }) {
  const { me, signOut } = useSession();
  const { path } = useLocation();
  const [open, setOpen] = useState(false);
  // Following a link closes the menu on a phone.
  useEffect(() => setOpen(false), [path]);
  const current = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));
  const item = (href: string, label: string) => (
    <li key={href}>
      <a href={href} aria-current={current(href) ? 'page' : undefined}>{label}</a>
    </li>
  );
  return (
    <>
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="top">
        <a class="brand" href="/">Pharos</a>
        <button type="button" class="menu-toggle secondary" aria-expanded={open} aria-controls="main-nav" onClick={() => setOpen(!open)}>
          Menu
        </button>
        <nav id="main-nav" aria-label="Main" class={open ? 'open' : undefined}>
          <ul>
            {links.map((l) => item(l.href, l.label))}
            {me.org_admin || me.teams.length > 0 ? item('/overview', 'Overview') : null}
            {me.teams.map((t) => item(`/teams/${t.id}`, `Team ${t.name}`))}
          </ul>
        </nav>
        <div class="who">
          <LiveIndicator />
          <span class="who-name">
            {me.name} <span class="muted">({roleText(me)})</span>
          </span>
          <button type="button" class="secondary" onClick={signOut}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </>
  );
}
