import { mapColours } from './map-style.ts';

type Swatch = { label: string; line?: { colour: string; width: number; dash?: string }; box?: { colour: string; width: number; dash?: string; fill: string; halo?: string; outline?: string } };

// Mirrors map-style.ts: each entry draws the same line or border the canvas uses, and names it.
const entries: Swatch[] = [
  { label: 'Dependency up: thin solid line (arrow points at what is depended on)', line: { colour: '#5f7f68', width: 1.5 } },
  { label: 'Dependency degraded: dashed line', line: { colour: mapColours.degraded, width: 3, dash: '8 4' } },
  { label: 'Dependency down: thick dashed red line', line: { colour: mapColours.down, width: 4.5, dash: '12 5' } },
  { label: 'Dependency not monitored or unknown: dotted grey line', line: { colour: '#8d9399', width: 1.5, dash: '2 3' } },
  { label: 'Root cause of an open incident: red halo, labelled "root cause"', box: { colour: mapColours.down, width: 3, fill: '#fde8e6', halo: mapColours.down } },
  { label: 'Service up: solid green border', box: { colour: mapColours.up, width: 2, fill: '#ffffff' } },
  { label: 'Service degraded: dashed border, "degraded" under its name', box: { colour: mapColours.degraded, width: 3, dash: '5 3', fill: '#fff4e0' } },
  { label: 'Service down: thick double border, "down" under its name', box: { colour: mapColours.down, width: 4, fill: '#fde8e6' } },
  { label: 'Service unknown: dotted grey border', box: { colour: mapColours.unknown, width: 2, dash: '2 2', fill: '#f1f3f4' } },
  { label: 'Impacted by an incident: dashed purple outline', box: { colour: mapColours.up, width: 2, fill: '#ffffff', outline: mapColours.impacted } },
];

/** What the map's lines, borders and halos mean, in words. */
export function MapLegend() {
  return (
    <details class="map-legend" open>
      <summary>Legend</summary>
      <ul>
        {entries.map((e) => (
          <li key={e.label}>
            <svg width="44" height="22" viewBox="0 0 44 22" aria-hidden="true" focusable="false">
              {e.line ? (
                <>
                  <line x1="2" y1="11" x2="34" y2="11" stroke={e.line.colour} stroke-width={e.line.width} stroke-dasharray={e.line.dash} />
                  <path d="M34 6 L42 11 L34 16 Z" fill={e.line.colour} />
                </>
              ) : e.box ? (
                <>
                  {e.box.halo ? <rect x="1" y="1" width="42" height="20" rx="6" fill={e.box.halo} opacity="0.35" /> : null}
                  {e.box.outline ? <rect x="2" y="2" width="40" height="18" rx="5" fill="none" stroke={e.box.outline} stroke-width="2" stroke-dasharray="4 2" /> : null}
                  <rect x="6" y="5" width="32" height="12" rx="3" fill={e.box.fill} stroke={e.box.colour} stroke-width={e.box.width} stroke-dasharray={e.box.dash} />
                </>
              ) : null}
            </svg>
            <span>{e.label}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
