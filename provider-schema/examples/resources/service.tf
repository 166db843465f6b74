resource "pharos_service" "fulfillment" {
  name    = "fulfillment-api"
  team_id = pharos_team.fulfillment.id
  tags    = { tier = "1" }
}

resource "pharos_service" "shipping" {
  name        = "shipping-carrier"
  team_id     = pharos_team.fulfillment.id
  kind        = "external"
  runbook_url = "https://runbooks.example.com/shipping"
}
