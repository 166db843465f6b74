resource "pharos_status_page" "acme" {
  name         = "acme-public"
  team_id      = pharos_team.storefront.id
  title        = "Acme status"
  slug         = "acme"
  visibility   = "public"
  history_days = 90
  custom_text  = "Planned maintenance is announced here a week ahead."

  component {
    service_id   = pharos_service.storefront.id
    display_name = "Website"
    group        = "Shop"
  }

  component {
    service_id   = pharos_service.checkout.id
    display_name = "Checkout"
    group        = "Shop"
    description  = "Cart, payment and order confirmation."
  }

  component {
    service_id   = pharos_service.shipping.id
    display_name = "Delivery tracking"
  }
}
