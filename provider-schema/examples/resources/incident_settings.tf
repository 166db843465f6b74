# One per organization (apply it with an org admin token): alerts on connected services that
# start within two minutes of each other become one incident, and an incident whose alerts all
# resolved closes itself after a quiet minute.
resource "pharos_incident_settings" "this" {
  correlation_window_seconds = 120
  resolve_after_seconds      = 60
}
