import { Managed } from './managed-by.schema.ts';
import { Type, type Static } from '@sinclair/typebox';
import type { FieldError } from './errors.ts';
import { Description, Id, Meta, Name, StringEnum, Tags, Timestamp } from './common.schema.ts';

export const statusPageVisibilities = ['public', 'internal'] as const;

/** How a component looks to the page's readers (Atlassian Statuspage's vocabulary). */
export const componentStatuses = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance', 'unknown'] as const;
export type ComponentStatus = (typeof componentStatuses)[number];

export const STATUS_PAGE_MAX_COMPONENTS = 100;
export const STATUS_PAGE_TEXT_MAX = 4000;

const PublicLabel = Type.String({ minLength: 1, maxLength: 80, pattern: '\\S', description: 'What readers of the page see; 1 to 80 characters.', errorMessage: 'Must be 1 to 80 characters with some text.' });

export const StatusPageComponent = Type.Object(
  {
    service_id: Id,
    display_name: PublicLabel,
    group: Type.Optional(PublicLabel),
    description: Type.Optional(Type.String({ maxLength: 300, description: 'A line under the component\'s name on the page.' })),
  },
  { additionalProperties: false, description: 'A service shown on the page under a name of its own: the page never shows the service\'s internal name.' },
);

export const StatusPageInput = Type.Object(
  {
    name: Name,
    team_id: Id,
    description: Type.Optional(Description),
    title: Type.String({ minLength: 1, maxLength: 120, pattern: '\\S', description: 'The page\'s heading, e.g. "Acme status".', errorMessage: 'Must be 1 to 120 characters with some text.' }),
    slug: Type.String({ minLength: 1, maxLength: 63, pattern: '^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$', description: 'The page\'s address: /status/{slug}. Unique on this Pharos server.', errorMessage: 'Must be lower-case letters, digits and "-" (not at either end), at most 63 characters, e.g. "acme".' }),
    visibility: StringEnum(statusPageVisibilities, { description: 'public: anyone with the link, no sign-in; internal: signed-in principals who may read the page\'s team (its members and org admins), in the console.' }),
    components: Type.Array(StatusPageComponent, { minItems: 1, maxItems: STATUS_PAGE_MAX_COMPONENTS, description: 'The services the page shows, in this order; components with the same group are shown together.' }),
    history_days: Type.Optional(Type.Integer({ minimum: 7, maximum: 365, default: 90, description: 'Days of daily uptime bars and of resolved incidents the page shows.' })),
    custom_text: Type.Optional(Type.String({ maxLength: STATUS_PAGE_TEXT_MAX, description: 'Text shown under the title (plain text; line breaks kept).' })),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false },
);
export const StatusPage = Type.Object({ ...Meta, ...Managed, ...StatusPageInput.properties, url: Type.String({ description: 'Where readers find the page.' }) });

export type StatusPageInput = Static<typeof StatusPageInput>;
export type StatusPage = Static<typeof StatusPage>;

/** Cross-field rules of a status page document. Pure: the API and the Terraform provider both use them. */
export function statusPageErrors(p: StatusPageInput): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  p.components.forEach((c, i) => {
    const first = seen.get(c.service_id);
    if (first !== undefined) errors.push({ pointer: `/components/${i}/service_id`, message: `This service is already component ${first}; show each service once.` });
    else seen.set(c.service_id, i);
  });
  return errors;
}

/** One day of a component's uptime bar. */
export const UptimeDay = Type.Object({
  date: Type.String({ description: 'The UTC day, YYYY-MM-DD.' }),
  uptime_ratio: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: 'Share of the day\'s observed time not down; null when nothing was observed.' }),
  status: StringEnum(componentStatuses, { description: 'The worst status of the day.' }),
  downtime_seconds: Type.Number({ minimum: 0 }),
});

/** An incident as the page's readers see it: only the page's component names and the updates marked public. */
export const PublicIncident = Type.Object({
  id: Type.String({ description: 'A public reference (not the internal incident id).' }),
  title: Type.String({ description: 'Built from the affected components\' names, never from internal names.' }),
  state: StringEnum(['investigating', 'identified', 'monitoring', 'resolved'] as const),
  impact: StringEnum(componentStatuses),
  components: Type.Array(Type.String(), { description: 'Display names of the affected components.' }),
  started_at: Timestamp,
  resolved_at: Type.Union([Timestamp, Type.Null()]),
  updates: Type.Array(Type.Object({ at: Timestamp, text: Type.String() }), { description: 'Notes the responders marked public, newest first.' }),
});

export const PublicMaintenance = Type.Object({
  starts_at: Timestamp,
  ends_at: Timestamp,
  components: Type.Array(Type.String(), { description: 'Display names of the components under maintenance.' }),
  in_progress: Type.Boolean(),
});

/** GET /status/{slug}/summary.json (and the internal page's summary): everything the page shows, nothing more. */
export const StatusPageSummary = Type.Object({
  page: Type.Object({ title: Type.String(), slug: Type.String(), custom_text: Type.Union([Type.String(), Type.Null()]), history_days: Type.Integer(), updated_at: Timestamp }),
  status: Type.Object({ indicator: StringEnum(componentStatuses), description: Type.String({ description: 'e.g. "All systems operational", "Partial outage".' }) }),
  groups: Type.Array(
    Type.Object({
      name: Type.Union([Type.String(), Type.Null()], { description: 'Null for components without a group.' }),
      components: Type.Array(
        Type.Object({
          name: Type.String(),
          description: Type.Union([Type.String(), Type.Null()]),
          status: StringEnum(componentStatuses),
          uptime_ratio: Type.Union([Type.Number(), Type.Null()], { description: 'Over the page\'s history_days.' }),
          days: Type.Array(UptimeDay),
        }),
      ),
    }),
  ),
  incidents: Type.Object({ open: Type.Array(PublicIncident), recent: Type.Array(PublicIncident, { description: 'Resolved within history_days, newest first (at most 20).' }) }),
  maintenance: Type.Array(PublicMaintenance, { description: 'In progress or starting within 7 days.' }),
});

export type UptimeDay = Static<typeof UptimeDay>;
export type PublicIncident = Static<typeof PublicIncident>;
export type PublicMaintenance = Static<typeof PublicMaintenance>;
export type StatusPageSummary = Static<typeof StatusPageSummary>;
