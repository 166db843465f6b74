# HTTP with assertions, run from two regions by runners in the fulfillment zone
resource "pharos_monitor" "shipping_from_fulfillment" {
  name             = "shipping-from-fulfillment"
  service_id       = pharos_service.fulfillment.id
  type             = "http"
  interval_seconds = 30
  regions          = ["us-east-1", "us-west-2"]
  run_from { zone = "fulfillment" }
  http {
    url     = "http://shipping.internal/health"
    headers = { accept = "application/json" }
  }
  assertion {
    source   = "status_code"
    operator = "equals"
    target   = "200"
  }
  assertion {
    source   = "json_body"
    path     = "$.status"
    operator = "equals"
    target   = "healthy"
  }
  assertion {
    source   = "response_time"
    operator = "less_than"
    target   = "500"
    severity = "degraded"
  }
  tags = { env = "prod" }
}

# Credentials go in secret_headers: write-only, never shown by the API, sent by the runner
variable "partner_api_key" {
  type      = string
  sensitive = true
}

resource "pharos_monitor" "partner_api" {
  name       = "partner-api"
  service_id = pharos_service.shipping.id
  type       = "http"
  http {
    url            = "https://partner.example.com/v2/ping"
    secret_headers = { "X-Api-Key" = var.partner_api_key }
  }
}

# TCP connect
resource "pharos_monitor" "orders_db" {
  name       = "orders-db"
  service_id = pharos_service.fulfillment.id
  type       = "tcp"
  tcp {
    host = "10.0.0.5"
    port = 5432
  }
}

# Certificate expiry
resource "pharos_monitor" "shipping_cert" {
  name       = "shipping-cert"
  service_id = pharos_service.shipping.id
  type       = "tls"
  tls {
    host      = "shipping.example.com"
    warn_days = 21
  }
}

# Multi-step API flow: a value extracted from one step is used in the next
resource "pharos_monitor" "checkout_flow" {
  name             = "checkout-flow"
  service_id       = pharos_service.fulfillment.id
  type             = "multistep"
  interval_seconds = 120
  step {
    name   = "login"
    method = "POST"
    url    = "https://fulfillment.example.com/login"
    body   = jsonencode({ user = "probe" })
    extract {
      name     = "token"
      source   = "json_body"
      property = "$.token"
    }
  }
  step {
    name           = "orders"
    url            = "https://fulfillment.example.com/orders"
    secret_headers = { authorization = "Bearer {{token}}" }
    assertion {
      source   = "status_code"
      operator = "in_range"
      target   = "200-299"
    }
  }
}

# Heartbeat: the job calls heartbeat_url
resource "pharos_monitor" "nightly_export" {
  name       = "nightly-export"
  service_id = pharos_service.fulfillment.id
  type       = "heartbeat"
  heartbeat {
    period_seconds = 86400
    grace_seconds  = 600
  }
}

output "nightly_export_heartbeat_url" {
  value = pharos_monitor.nightly_export.heartbeat_url
}
