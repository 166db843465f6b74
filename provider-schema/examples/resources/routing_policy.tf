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
