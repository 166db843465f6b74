import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { useSession } from '../session.ts';

const links = [
  { href: '/', label: 'Health' },
  { href: '/map', label: 'Map' },
  { href: '/incidents', label: 'Incidents' },
  { href: '/sla', label: 'SLA' },
  { href: '/status-pages', label: 'Status pages' },
] as const;

/** The frame around every view: skip link, navigation, who is signed in, sign-out. */
export function Layout({ children }: { children: ComponentChildren }) {
  const { me, signOut } = useSession();
  const { path } = useLocation();
  const current = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));
  return (
    <>
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="top">
        <a class="brand" href="/">Pharos</a>
        <nav aria-label="Main">
          <ul>
            {links.map((l) => (
              <li key={l.href}>
                <a href={l.href} aria-current={current(l.href) ? 'page' : undefined}>{l.label}</a>
              </li>
            ))}
            {me.org_admin ? (
              <li><a href="/overview" aria-current={current('/overview') ? 'page' : undefined}>Overview</a></li>
            ) : null}
            {me.teams.map((t) => (
              <li key={t.id}><a href={`/teams/${t.id}`} aria-current={current(`/teams/${t.id}`) ? 'page' : undefined}>Team {t.name}</a></li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>{me.name}{me.org_admin ? ' (org admin)' : ''}</span>
          <button type="button" onClick={signOut}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </>
  );
}
