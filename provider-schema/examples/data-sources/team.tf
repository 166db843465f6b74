data "pharos_team" "platform" {
  name = "platform"
}
