resource "pharos_team_member" "alice" {
  team_id      = pharos_team.fulfillment.id
  subject      = "auth0|alice"
  email        = "alice@example.com"
  display_name = "Alice"
  role         = "team_editor"
}
