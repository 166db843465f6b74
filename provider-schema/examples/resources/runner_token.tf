resource "pharos_runner_token" "use1_fulfillment" {
  name   = "use1-fulfillment"
  region = "us-east-1"
  labels = { zone = "fulfillment" }
}

# Hand the secret to the runner deployment, e.g. a Kubernetes secret.
output "runner_token" {
  value     = pharos_runner_token.use1_fulfillment.token
  sensitive = true
}
