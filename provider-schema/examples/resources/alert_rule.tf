resource "pharos_alert_rule" "fulfillment_down" {
  name         = "fulfillment-down"
  team_id      = pharos_team.fulfillment.id
  # Names in the expression resolve within the team when the rule is written; referring to the
  # resources orders their creation (and destruction) after them.
  expression   = "down(service(\"${pharos_service.fulfillment.name}\")) or p95(monitor(\"${pharos_monitor.shipping_from_fulfillment.name}\"), \"5m\") > 2000"
  for_duration = "1m"
  severity     = "critical"
  labels       = { team = "fulfillment" }
  runbook_url  = "https://runbooks.example.com/fulfillment"
  message      = "Fulfillment is down or slow"
}
