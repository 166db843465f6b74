import type { IncidentDetail } from '../../../contract/incident.schema.ts';
import { Loaded, StateBadge } from '../components/common.component.tsx';
import { IncidentActions } from '../components/incident-actions.component.tsx';
import { IncidentAlerts } from '../components/incident-alerts.component.tsx';
import { IncidentCause } from '../components/incident-cause.component.tsx';
import { useLiveReload } from '../components/incident-live.hook.ts';
import { mayRespond, teamsOf } from '../components/incident-logic.ts';
import { SeverityBadge } from '../components/incident-table.component.tsx';
import { IncidentTimeline } from '../components/incident-timeline.component.tsx';
import { useTeams } from '../components/team-names.hook.ts';
import { duration, when } from '../format.ts';
import { useSession } from '../session.ts';
import { useApi } from '../use-api.hook.ts';

/** /incidents/:id (its id or its number): root cause, impact, alerts, notifications, timeline; responders get the buttons. */
export function IncidentView({ id }: { id?: string }) {
  const { me } = useSession();
  const { names } = useTeams();
  const incident = useApi((api) => api.get<IncidentDetail>(`/v1/incidents/${encodeURIComponent(id ?? '')}`), [id]);
  useLiveReload(incident.reload, (e) => e.type === 'incident' && (e.incident_id === incident.data?.id || String(e.number) === id));
  return (
    <Loaded
      loaded={incident}
      what="the incident"
      render={(d) => (
        <article class="incident-detail">
          <p><a href="/incidents">All incidents</a></p>
          <h1>#{d.number} {d.title}</h1>
          <dl class="incident-facts">
            <div><dt>State</dt><dd><StateBadge state={d.state} /></dd></div>
            <div><dt>Severity</dt><dd><SeverityBadge severity={d.severity} /></dd></div>
            <div><dt>Owner team</dt><dd>{d.team_id ? <a href={`/teams/${d.team_id}`}>{names.get(d.team_id) ?? d.team_id}</a> : '—'}</dd></div>
            <div><dt>Teams</dt><dd>{teamsOf(d).map((t) => names.get(t) ?? t).join(', ') || '—'}</dd></div>
            <div><dt>Opened</dt><dd><time dateTime={d.opened_at}>{when(d.opened_at)}</time></dd></div>
            <div><dt>Duration</dt><dd>{duration(d.duration_seconds)}{d.state === 'resolved' ? '' : ' so far'}</dd></div>
            <div><dt>Acknowledged</dt><dd>{d.acknowledged_at ? <><time dateTime={d.acknowledged_at}>{when(d.acknowledged_at)}</time>{d.acknowledged_by ? ` by ${d.acknowledged_by.name}` : ''}</> : 'not yet'}</dd></div>
            <div><dt>Resolved</dt><dd>{d.resolved_at ? <><time dateTime={d.resolved_at}>{when(d.resolved_at)}</time>{d.resolved_by ? ` by ${d.resolved_by.name}` : ' by itself'}</> : 'not yet'}</dd></div>
            <div><dt>MTTA</dt><dd>{d.mtta_seconds === null ? 'not acknowledged yet' : duration(d.mtta_seconds)}</dd></div>
            <div><dt>MTTR</dt><dd>{d.mttr_seconds === null ? 'not resolved yet' : duration(d.mttr_seconds)}</dd></div>
          </dl>
          {incident.error ? <p class="problem" role="alert">{incident.error.message}</p> : null}
          {mayRespond(me, d) ? <IncidentActions key={d.id} detail={d} onChanged={incident.reload} /> : null}
          <IncidentCause detail={d} teamNames={names} />
          <IncidentAlerts detail={d} teamNames={names} />
          <IncidentTimeline detail={d} />
        </article>
      )}
    />
  );
}
