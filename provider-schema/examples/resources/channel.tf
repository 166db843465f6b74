variable "slack_webhook_url" {
  type      = string
  sensitive = true
}

resource "pharos_channel" "slack" {
  name    = "fulfillment-slack"
  team_id = pharos_team.fulfillment.id
  type    = "slack"
  slack {
    webhook_url = var.slack_webhook_url
    channel     = "#fulfillment-ops"
  }
}

resource "pharos_channel" "pagerduty" {
  name    = "fulfillment-pager"
  team_id = pharos_team.fulfillment.id
  type    = "pagerduty"
  pagerduty {
    routing_key = var.pagerduty_routing_key
  }
}

variable "pagerduty_routing_key" {
  type      = string
  sensitive = true
}
