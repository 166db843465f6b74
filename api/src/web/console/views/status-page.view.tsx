import type { StatusPage, StatusPageSummary } from '../../../contract/status-page.schema.ts';
import { Loaded } from '../components/common.component.tsx';
import { useLiveReload } from '../components/incident-live.hook.ts';
import { StatusPageBody } from '../components/status-page.component.ts';
import { useApi } from '../use-api.hook.ts';

/** The status pages' own stylesheet (served by Pharos; the public page links the same one). */
const stylesheet = '/status-assets/status.css';

/**
 * /status-pages/:id: the page as its readers see it, from GET /v1/status-pages/{id}/summary. For an
 * internal page this is the page itself. It reloads when states or incidents change.
 */
export function StatusPageView({ id }: { id?: string }) {
  const path = `/v1/status-pages/${encodeURIComponent(id ?? '')}`;
  const loaded = useApi(async (api) => {
    const [page, summary] = await Promise.all([api.get<StatusPage>(path), api.get<StatusPageSummary>(`${path}/summary`)]);
    return { page, summary };
  }, [path]);
  useLiveReload(loaded.reload, (e) => e.type === 'state' || e.type === 'incident');
  return (
    <>
      <link rel="stylesheet" href={stylesheet} />
      <p class="sp-back"><a href="/status-pages">All status pages</a></p>
      <Loaded
        loaded={loaded}
        what="the status page"
        render={({ page, summary }) => (
          <StatusPageBody
            summary={summary}
            note={
              <p class="sp-note">
                {page.visibility === 'public' ? (
                  <>Public page: anyone with the link sees it at <a href={`/status/${page.slug}`}>/status/{page.slug}</a>, without signing in.</>
                ) : (
                  <>Internal page: only signed-in people who may read its team see it, here.</>
                )}
              </p>
            }
          />
        )}
      />
    </>
  );
}
