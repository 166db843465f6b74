resource "pharos_maintenance_window" "carrier_sunday" {
  name        = "carrier-sunday-maintenance"
  team_id     = pharos_team.fulfillment.id
  starts_at   = "2026-01-01T00:00:00Z"
  ends_at     = "2027-01-01T00:00:00Z"
  service_ids = [pharos_service.shipping.id]
  recurrence {
    cron     = "0 2 * * SUN"
    duration = "2h"
    timezone = "Europe/Berlin"
  }
}
