import { StateBadge } from './common.component.tsx';
import { HealthMonitors } from './health-monitors.component.tsx';
import { tagPairs, type TeamGroup } from '../health-filter.ts';

/** One team's services on the health view, each with its state, kind, tags and monitors. */
export function HealthTeam({ group, tagsOf, canOpenTeam }: { group: TeamGroup; tagsOf: ReadonlyMap<string, Record<string, string>>; canOpenTeam: boolean }) {
  const headingId = `team-${group.teamId}`;
  return (
    <section class="health-team" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {canOpenTeam ? <a href={`/teams/${group.teamId}`}>{group.name}</a> : group.name}
        <span class="muted count"> {group.services.length} {group.services.length === 1 ? 'service' : 'services'}</span>
      </h2>
      <ul class="services">
        {group.services.map((s) => {
          const tags = tagPairs(tagsOf.get(s.id));
          return (
            <li key={s.id} class="service" data-service-id={s.id}>
              <h3>
                <span class="service-name">{s.name}</span> <StateBadge state={s.state} />
                {s.kind === 'external' ? <span class="muted"> external</span> : null}
              </h3>
              {tags.length ? (
                <p class="tags">
                  <span class="visually-hidden">Tags: </span>
                  {tags.map((t) => <code key={t} class="tag">{t}</code>)}
                </p>
              ) : null}
              <HealthMonitors monitors={s.monitors} caption={`Monitors of ${s.name}`} />
            </li>
          );
        })}
      </ul>
    </section>
  );
}
