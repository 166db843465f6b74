import { Type, type Static } from '@sinclair/typebox';
import { Id, StringEnum, Timestamp } from './common.schema.ts';
import { states } from './state.schema.ts';

// GET /v1/stream sends server-sent events; each `event: batch` message's data is a LiveBatch.

const LiveStateEvent = Type.Object({
  type: Type.Literal('state'),
  subject_type: StringEnum(['monitor', 'service', 'edge'] as const, { description: 'edge: a dependency edge (subject_id is the dependency id).' }),
  subject_id: Id,
  region: Type.Union([Type.String(), Type.Null()], { description: 'Set for a region of a monitor; null for the monitor, service or edge as a whole.' }),
  from: StringEnum(states),
  to: StringEnum(states),
  at: Timestamp,
});

const LiveIncidentEvent = Type.Object({
  type: Type.Literal('incident'),
  incident_id: Id,
  number: Type.Integer(),
  state: StringEnum(['investigating', 'identified', 'monitoring', 'resolved'] as const),
  change: Type.String({ description: 'What changed, as timeline kinds joined by commas, e.g. "opened", "root_cause", "acknowledged", "note", "resolved".' }),
  at: Timestamp,
});

const alertStates = ['inactive', 'pending', 'firing', 'resolved'] as const;
const LiveAlertEvent = Type.Object({
  type: Type.Literal('alert'),
  alert_id: Id,
  rule_id: Id,
  team_id: Id,
  from: StringEnum(alertStates),
  to: StringEnum(alertStates),
  at: Timestamp,
});

const LiveResetEvent = Type.Object({ type: Type.Literal('reset') }, { description: 'The stream cannot say what was missed (too much, or older than the event log keeps): reload what the page shows.' });

export const LiveEvent = Type.Union([LiveStateEvent, LiveIncidentEvent, LiveAlertEvent, LiveResetEvent]);
/** One change an open page is told about (the latest per subject within a flush window). */
export type LiveEvent = Static<typeof LiveEvent>;

/** The data of one `event: batch` message of GET /v1/stream. */
export const LiveBatch = Type.Object({ events: Type.Array(LiveEvent) });
export type LiveBatch = Static<typeof LiveBatch>;
