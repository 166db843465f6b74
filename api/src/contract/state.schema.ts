import { Type, type Static } from '@sinclair/typebox';
import { Id, Region, StringEnum, Timestamp } from './common.schema.ts';
import { CheckResult } from './result.schema.ts';

export const states = ['up', 'degraded', 'down', 'unknown'] as const;
export type State = (typeof states)[number];
const StateEnum = StringEnum(states);

/** Why a slot is unknown when no check result explains it. */
export const slotCauses = ['no_runner', 'no_data'] as const;
export type SlotCause = (typeof slotCauses)[number];

export const RegionState = Type.Object({
  region: Region,
  state: StateEnum,
  since: Timestamp,
  consecutive_failures: Type.Integer(),
  consecutive_successes: Type.Integer(),
  last_result_at: Type.Optional(Timestamp),
  last_error: Type.Optional(Type.String()),
  runner_id: Type.Optional(Type.String({ description: 'Runner that currently owns this monitor in this region.' })),
  cause: Type.Optional(StringEnum(slotCauses, { description: 'Why the region is unknown: no_runner = no live runner of the region can run the monitor (its zone, labels or check type), it clears when one registers; no_data = no result arrived for max(2 × interval, interval + timeout + runner lease), it clears with the next result.' })),
});

export const MonitorState = Type.Object({
  monitor_id: Id,
  state: StateEnum,
  since: Type.Optional(Timestamp),
  regions_down: Type.Integer(),
  min_failed_regions: Type.Integer(),
  regions: Type.Array(RegionState),
});

export const Transition = Type.Object({
  id: Type.String(),
  subject_type: StringEnum(['slot', 'monitor', 'service', 'edge'] as const),
  subject_id: Type.String(),
  region: Type.Optional(Region),
  from: StateEnum,
  to: StateEnum,
  at: Timestamp,
  cause: Type.Optional(
    Type.Object(
      {
        result_id: Type.Optional(Type.String({ description: 'The check result that moved a slot.' })),
        status: Type.Optional(Type.String({ description: 'That result\'s status.' })),
        error: Type.Optional(Type.Unknown({ description: 'That result\'s error (code and message).' })),
        reason: Type.Optional(Type.String({ description: 'Why a slot became unknown: "no_runner" or "no_data".' })),
        quiet_since: Type.Optional(Type.String({ format: 'date-time', description: 'For reason "no_data": the last result, or the slot\'s assignment or last change when later.' })),
        regions_down: Type.Optional(Type.Integer({ description: 'For a monitor: regions down at the transition.' })),
        regions: Type.Optional(Type.Integer({ description: 'For a monitor: regions with a state.' })),
      },
      { additionalProperties: false, description: 'What caused the transition; which fields are present depends on subject_type.' },
    ),
  ),
});

export const StoredResult = Type.Object({ ...CheckResult.properties, runner_id: Type.Optional(Type.String()), received_at: Timestamp });

export const StatusMonitor = Type.Object({ id: Id, name: Type.String(), type: Type.String(), enabled: Type.Boolean(), state: StateEnum, since: Type.Optional(Timestamp), regions: Type.Array(RegionState) });
export const StatusService = Type.Object({ id: Id, name: Type.String(), team_id: Id, kind: Type.String(), state: StateEnum, since: Type.Optional(Timestamp), monitors: Type.Array(StatusMonitor) });
/** A dependency edge on the status board: "can service reach depends_on", from the monitors that name it (dependency_id). */
export const StatusEdge = Type.Object({
  id: Id,
  service_id: Id,
  service: Type.String({ description: 'Name of the dependent service (the edge belongs to it and its team).' }),
  depends_on_service_id: Id,
  depends_on: Type.String({ description: 'Name of the service it depends on.' }),
  team_id: Id,
  state: StateEnum,
  since: Type.Optional(Timestamp),
  monitors: Type.Array(StatusMonitor, { description: 'The monitors that check the edge; empty: the edge is not monitored and its state is unknown.' }),
});
export const Status = Type.Object({
  generated_at: Timestamp,
  summary: Type.Record(StateEnum, Type.Integer(), { description: 'Services per state.' }),
  services: Type.Array(StatusService),
  edge_summary: Type.Record(StateEnum, Type.Integer(), { description: 'Dependency edges per state (an edge no monitor checks counts as unknown).' }),
  edges: Type.Array(StatusEdge, { description: 'The dependency edges of the services shown, by service and target name.' }),
  next_cursor: Type.Optional(Type.String({ description: 'With limit: pass as `cursor` to fetch the next page of services.' })),
});

export type RegionState = Static<typeof RegionState>;
export type MonitorState = Static<typeof MonitorState>;
export type Status = Static<typeof Status>;
