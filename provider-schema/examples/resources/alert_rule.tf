resource "pharos_alert_rule" "fulfillment_down" {
  name         = "fulfillment-down"
  team_id      = pharos_team.fulfillment.id
  expression   = "down(service(\"fulfillment-api\")) or p95(monitor(\"shipping-from-fulfillment\"), \"5m\") > 2000"
  for_duration = "1m"
  severity     = "critical"
  labels       = { team = "fulfillment" }
  runbook_url  = "https://runbooks.example.com/fulfillment"
  message      = "Fulfillment is down or slow"
}
