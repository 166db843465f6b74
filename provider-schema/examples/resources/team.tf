resource "pharos_team" "fulfillment" {
  name        = "fulfillment"
  description = "Fulfillment routing and shipping"
}
