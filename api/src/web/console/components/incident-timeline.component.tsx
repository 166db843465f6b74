import type { IncidentDetail } from '../../../contract/incident.schema.ts';
import { when } from '../format.ts';
import { describeEntry, timelineItems } from './incident-logic.ts';

/** Everything that happened, in time order: the incident's own entries and the deploys / changes of its services. */
export function IncidentTimeline({ detail }: { detail: IncidentDetail }) {
  const items = timelineItems(detail);
  return (
    <section class="incident-timeline" aria-labelledby="incident-timeline-heading">
      <h2 id="incident-timeline-heading">Timeline</h2>
      {detail.timeline_truncated ? <p>Only the first 1,000 entries are shown.</p> : null}
      <ol>
        {items.map((item) => {
          if (item.source === 'change') {
            const c = item.change;
            return (
              <li key={c.id} class="timeline-change" data-kind={c.kind}>
                <time dateTime={c.at}>{when(c.at)}</time>
                <span class="timeline-title">{c.kind === 'deploy' ? 'Deploy' : c.kind.replace(/_/g, ' ')}{c.version ? ` ${c.version}` : ''}</span>
                <span class="timeline-detail">
                  {c.minutes_before_first_failure >= 0 ? `${c.minutes_before_first_failure} min before the first failure` : `${-c.minutes_before_first_failure} min after the first failure`}
                  {c.actor ? ` · by ${c.actor}` : ''}{c.description ? ` · ${c.description}` : ''}
                  {c.link ? <> · <a href={c.link} rel="noreferrer noopener">link</a></> : null}
                </span>
              </li>
            );
          }
          const e = item.entry;
          const { title, detail: text } = describeEntry(e);
          return (
            <li key={e.id} class={`timeline-${e.kind}`} data-kind={e.kind}>
              <time dateTime={e.at}>{when(e.at)}</time>
              <span class="timeline-title">{title}</span>
              {e.actor ? <span class="timeline-actor">by {e.actor.name}</span> : null}
              {text ? <span class="timeline-detail">{text}</span> : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
