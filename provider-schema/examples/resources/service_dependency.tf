resource "pharos_service_dependency" "fulfillment_to_shipping" {
  service_id            = pharos_service.fulfillment.id
  depends_on_service_id = pharos_service.shipping.id
  description           = "label purchase"
}
