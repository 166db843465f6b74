import { useState } from 'preact/hooks';
import { StateBadge } from './common.component.tsx';
import type { MapListItem } from './map-elements.ts';

export interface MapListProps {
  failing: MapListItem[];
  all: MapListItem[];
  /** Element ids a team filter shows; undefined: all. */
  visible: Set<string> | undefined;
  selected: string | undefined;
  onSelect(elementId: string): void;
}

/**
 * The map as text, for keyboards and screen readers (the canvas is a picture to them): the failing
 * services and dependencies, or everything; each name selects the element and opens its details.
 */
export function MapList({ failing, all, visible, selected, onSelect }: MapListProps) {
  const [showAll, setShowAll] = useState(false);
  const items = (showAll ? all : failing).filter((i) => !visible || visible.has(i.id));
  return (
    <section class="map-list" aria-labelledby="map-list-title">
      <div class="map-list-head">
        <h2 id="map-list-title">{showAll ? 'All services and dependencies' : 'Failing now'}</h2>
        <button type="button" aria-pressed={showAll} onClick={() => setShowAll(!showAll)}>
          {showAll ? 'List failing only' : 'List all services and dependencies'}
        </button>
      </div>
      {items.length === 0 ? (
        <p>{showAll ? 'No services to list.' : 'Nothing is failing.'}</p>
      ) : (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="map-list-title">
          <table>
            <thead>
              <tr><th scope="col">Service or dependency</th><th scope="col">Kind</th><th scope="col">Team</th><th scope="col">State</th><th scope="col">Incident</th></tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id} class={i.id === selected ? 'selected' : undefined}>
                  <td>
                    <button type="button" class="link" aria-current={i.id === selected ? 'true' : undefined} onClick={() => onSelect(i.id)}>{i.label}</button>
                  </td>
                  <td>{i.kind === 'edge' ? 'dependency' : 'service'}</td>
                  <td>{i.team}</td>
                  <td><StateBadge state={i.state} /></td>
                  <td>{i.incident_id ? <a href={`/incidents/${i.incident_id}`}>{i.note}</a> : i.note || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
