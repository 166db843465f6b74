data "pharos_service" "payments" {
  name = "payments-api"
}

resource "pharos_service_dependency" "checkout_to_payments" {
  service_id            = pharos_service.checkout.id
  depends_on_service_id = data.pharos_service.payments.id
}
