# Mute the carrier's planned migration window for the fulfillment team's shipping alerts.
resource "pharos_silence" "carrier_migration" {
  team_id   = pharos_team.fulfillment.id
  starts_at = "2030-03-01T22:00:00Z"
  ends_at   = "2030-03-02T02:00:00Z"
  comment   = "CHG-4711: shipping carrier API migration"
  matcher {
    label    = "service"
    operator = "=~"
    value    = "shipping-.*"
  }
  matcher {
    label    = "severity"
    operator = "!="
    value    = "critical"
  }
}
