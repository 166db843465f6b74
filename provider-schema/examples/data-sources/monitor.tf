data "pharos_monitor" "payments_health" {
  service_name = "payments-api"
  name         = "payments-health"
}

output "payments_health_interval" {
  value = data.pharos_monitor.payments_health.interval_seconds
}
