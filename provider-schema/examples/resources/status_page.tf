resource "pharos_status_page" "acme" {
  name         = "acme-public"
  team_id      = pharos_team.fulfillment.id
  title        = "Acme status"
  slug         = "acme"
  visibility   = "public"
  history_days = 90
  custom_text  = "Planned maintenance is announced here a week ahead."

  component {
    service_id   = pharos_service.fulfillment.id
    display_name = "Orders"
    group        = "Shop"
    description  = "Placing and tracking orders."
  }

  component {
    service_id   = pharos_service.shipping.id
    display_name = "Delivery tracking"
    group        = "Shop"
  }
}
