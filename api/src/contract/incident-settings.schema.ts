import { Managed } from './managed-by.schema.ts';
import { Type, type Static } from '@sinclair/typebox';

// The defaults here are the ones of api/src/modules/incidents/incident-settings.ts
// (defaultIncidentSettings); api/test/incident-settings.test.ts fails when they differ.

/** Body of PUT /v1/incident-settings: the whole document; a missing field takes its default. */
export const IncidentSettingsInput = Type.Object(
  {
    correlation_window_seconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 3600, default: 300, description: 'Alerts on connected services or edges that start within this many seconds of each other become one incident; 0 to 3600.' }),
    ),
    auto_resolve: Type.Optional(Type.Boolean({ default: true, description: 'An incident whose alerts all resolved moves to monitoring and resolves itself after resolve_after_seconds; false leaves it to be resolved by hand.' })),
    resolve_after_seconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 86400, default: 180, description: 'Quiet time in monitoring before an incident resolves itself (a flap within it reopens the incident); 0 to 86400.' }),
    ),
    root_cause_grace_seconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 3600, default: 120, description: "How long a dependent's page is held waiting for the root cause's own alert to fire; after that it is sent; 0 to 3600." }),
    ),
  },
  { additionalProperties: false, description: "The organization's incident correlation and auto-resolution settings." },
);
export type IncidentSettingsInput = Static<typeof IncidentSettingsInput>;

/** Answer of GET and PUT /v1/incident-settings: every field, with its default when never set. */
export const IncidentSettingsDocument = Type.Object({
  correlation_window_seconds: Type.Integer({ minimum: 0, maximum: 3600 }),
  auto_resolve: Type.Boolean(),
  resolve_after_seconds: Type.Integer({ minimum: 0, maximum: 86400 }),
  root_cause_grace_seconds: Type.Integer({ minimum: 0, maximum: 3600 }),
  updated_at: Type.Optional(Type.String({ format: 'date-time', description: 'When the settings last changed (RFC 3339, UTC); absent while they were never written.' })),
  version: Type.Integer({ minimum: 0, description: 'Incremented on every PUT; 0 while the settings were never written. The ETag is derived from it.' }),
  ...Managed,
});
export type IncidentSettingsDocument = Static<typeof IncidentSettingsDocument>;
