resource "pharos_slo" "fulfillment_availability" {
  name           = "fulfillment-availability"
  team_id        = pharos_team.fulfillment.id
  service_id     = pharos_service.fulfillment.id
  objective      = "uptime"
  target_percent = 99.9
  window         = "rolling_28d"
}

resource "pharos_slo" "checkout_latency" {
  name                 = "checkout-latency"
  team_id              = pharos_team.fulfillment.id
  monitor_id           = pharos_monitor.shipping_from_fulfillment.id
  objective            = "latency"
  target_percent       = 99
  latency_threshold_ms = 500
  window               = "calendar_month"
}
