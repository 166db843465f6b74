/** The organization's incident settings (GET/PUT /v1/incident-settings, Terraform pharos_incident_settings). */
export interface IncidentSettings {
  /** Alerts on connected nodes that start within this many seconds of each other become one incident. */
  correlation_window_seconds: number;
  /** An incident whose alerts all resolved moves to monitoring, then resolves itself after resolve_after_seconds. */
  auto_resolve: boolean;
  /** Quiet time in monitoring before an incident resolves itself (a flap within it returns the incident to its previous state). */
  resolve_after_seconds: number;
  /** How long a dependent's page is held waiting for the root cause's own alert to fire; after that it is sent. */
  root_cause_grace_seconds: number;
}

export const defaultIncidentSettings: IncidentSettings = {
  correlation_window_seconds: 300,
  auto_resolve: true,
  resolve_after_seconds: 180,
  root_cause_grace_seconds: 120,
};
