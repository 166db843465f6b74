resource "pharos_routing_policy" "critical" {
  name        = "critical-to-pager"
  team_id     = pharos_team.fulfillment.id
  channel_ids = [pharos_channel.pagerduty.id]
  matcher {
    label    = "severity"
    operator = "="
    value    = "critical"
  }
  group_by        = ["service"]
  group_wait      = "30s"
  repeat_interval = "4h"
}

# The organization fallback tree (org admins): alerts no team policy takes.
resource "pharos_routing_policy" "multi_service_outages" {
  name        = "multi-service-outages"
  scope       = "organization"
  channel_ids = [pharos_channel.pagerduty.id]
  matcher {
    label    = "impact"
    operator = "="
    value    = "multi-service"
  }
  group_by = ["alertname"]
}
