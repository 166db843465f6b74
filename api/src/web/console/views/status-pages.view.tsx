import type { StatusPage } from '../../../contract/status-page.schema.ts';
import { Loaded } from '../components/common.component.tsx';
import { can, useSession } from '../session.ts';
import { useApi } from '../use-api.hook.ts';

/** How a team editor declares a page: the console shows pages, Terraform and the REST API write them. */
function HowToCreate() {
  return (
    <section class="sp-howto" aria-labelledby="sp-howto-title">
      <h2 id="sp-howto-title">Creating a status page</h2>
      <p>
        Pages are declared like every Pharos resource, with Terraform (<code>pharos_status_page</code>) or <code>POST /v1/status-pages</code>; the
        console shows them. Each component is one of your team's services under a name of your choosing: readers never see the service's own name,
        its monitors or their errors. See <a href="/docs">the API reference</a> and docs/status-pages.md.
      </p>
      <pre tabIndex={0} aria-label="Terraform example">{`resource "pharos_status_page" "acme" {
  name       = "acme-public"
  team_id    = pharos_team.storefront.id
  title      = "Acme status"
  slug       = "acme"            # readers open /status/acme
  visibility = "public"          # or "internal": signed-in only

  component {
    service_id   = pharos_service.checkout.id
    display_name = "Checkout"
    group        = "Shop"
  }
}`}</pre>
      <p>
        Incident notes posted with <code>"public": true</code> (<code>POST /v1/incidents/&#123;id&#125;/notes</code>) appear on the pages that show
        the incident's services; other notes never do.
      </p>
    </section>
  );
}

/** /status-pages: the pages the principal may read, with where their readers find them. */
export function StatusPagesView(_props: Record<string, unknown>) {
  const { me } = useSession();
  const pages = useApi((api) => api.all<StatusPage>('/v1/status-pages'), []);
  const editor = me.org_admin || me.teams.some((t) => can(me, t.id, 'write'));
  return (
    <section class="status-pages">
      <h1>Status pages</h1>
      <Loaded
        loaded={pages}
        what="status pages"
        render={(items) =>
          items.length === 0 ? (
            <p>There is no status page you can read yet.</p>
          ) : (
            <div class="table-wrap" role="region" aria-label="Status pages" tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Title</th>
                    <th scope="col">Slug</th>
                    <th scope="col">Visibility</th>
                    <th scope="col">Components</th>
                    <th scope="col">Readers see it at</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((p) => (
                    <tr key={p.id}>
                      <th scope="row"><a href={`/status-pages/${p.id}`}>{p.title}</a></th>
                      <td><code>{p.slug}</code></td>
                      <td>{p.visibility === 'public' ? 'Public: no sign-in' : 'Internal: signed-in only'}</td>
                      <td>{p.components.length}</td>
                      <td>{p.visibility === 'public' ? <a href={`/status/${p.slug}`}>/status/{p.slug}</a> : <a href={`/status-pages/${p.id}`}>this console</a>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      />
      {editor ? <HowToCreate /> : null}
    </section>
  );
}
