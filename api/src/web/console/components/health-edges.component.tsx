import { StateBadge } from './common.component.tsx';
import { HealthMonitors } from './health-monitors.component.tsx';
import type { StatusEdge } from '../health-filter.ts';

/** Dependency edges that fail: "checkout → payments cannot be reached", with the monitors that say so. */
export function HealthEdges({ edges }: { edges: StatusEdge[] }) {
  if (edges.length === 0) return null;
  return (
    <section class="health-edges" aria-labelledby="failing-edges">
      <h2 id="failing-edges">Failing dependencies</h2>
      <ul class="services">
        {edges.map((e) => (
          <li key={e.id} class="service edge" data-edge-id={e.id}>
            <h3>
              <span class="service-name">{e.service}</span> <span aria-hidden="true">→</span>
              <span class="visually-hidden"> depends on </span> <span class="service-name">{e.depends_on}</span> <StateBadge state={e.state} />
            </h3>
            <HealthMonitors monitors={e.monitors} caption={`Monitors of the dependency ${e.service} to ${e.depends_on}`} />
          </li>
        ))}
      </ul>
    </section>
  );
}
