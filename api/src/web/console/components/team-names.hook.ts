import type { Team } from '../../../contract/team.schema.ts';
import { useApi } from '../use-api.hook.ts';

/** The teams the principal can see (GET /v1/teams), and their names by id for labels. */
export function useTeams() {
  const loaded = useApi((api) => api.all<Team>('/v1/teams'), []);
  const teams = loaded.data ?? [];
  return { loaded, teams, names: new Map(teams.map((t) => [t.id, t.name])) };
}
