import type { StylesheetJson } from 'cytoscape';

// The dependency map's Cytoscape stylesheet. Every state has a colour AND a shape of its own (line
// style and width, border style, the state written in the label), so nothing rests on colour alone;
// the legend beside the map (map-legend.component.tsx) names each of them.

export const mapColours = {
  up: '#17703a',
  degraded: '#8a5300',
  down: '#b3261e',
  unknown: '#5f6368',
  impacted: '#6a1b9a',
  selected: '#0b57d0',
  text: '#1a1a1a',
} as const;

/**
 * The stylesheet; `large` (hundreds of services) hides labels that would be drawn smaller than
 * 9 px on screen, which keeps panning and zooming smooth.
 */
export function mapStyle(large: boolean): StylesheetJson {
  return [
    {
      selector: 'node.team',
      style: {
        label: 'data(label)', 'text-valign': 'top', 'text-halign': 'center', 'font-size': 15, 'font-weight': 'bold', color: mapColours.text,
        'background-color': '#f4f6f9', 'border-color': '#a9b3c1', 'border-width': 1, shape: 'round-rectangle', padding: '14px', 'text-margin-y': -4,
      },
    },
    {
      selector: 'node.service',
      style: {
        label: 'data(label)', width: 'data(w)', height: 'data(h)', shape: 'round-rectangle', 'text-valign': 'center', 'text-halign': 'center',
        'text-wrap': 'wrap', 'font-size': 13, 'line-height': 1.2, color: mapColours.text, 'background-color': '#ffffff', 'border-width': 2,
        'border-color': mapColours.up, 'border-style': 'solid', ...(large ? { 'min-zoomed-font-size': 9 } : {}),
      },
    },
    { selector: 'node.service.external', style: { shape: 'cut-rectangle' } },
    { selector: 'node.service.neighbour', style: { 'font-style': 'italic', 'background-color': '#f1f3f4' } },
    { selector: 'node.service.state-degraded', style: { 'border-color': mapColours.degraded, 'border-style': 'dashed', 'border-width': 3, 'background-color': '#fff4e0' } },
    { selector: 'node.service.state-down', style: { 'border-color': mapColours.down, 'border-style': 'double', 'border-width': 6, 'background-color': '#fde8e6', 'font-weight': 'bold' } },
    { selector: 'node.service.state-unknown', style: { 'border-color': mapColours.unknown, 'border-style': 'dotted', 'border-width': 2, 'background-color': '#f1f3f4' } },
    { selector: 'node.service.impacted', style: { 'outline-width': 3, 'outline-style': 'dashed', 'outline-color': mapColours.impacted, 'outline-offset': 3 } },
    { selector: 'node.service.root-cause', style: { 'underlay-color': mapColours.down, 'underlay-padding': 10, 'underlay-opacity': 0.35, 'font-weight': 'bold' } },
    {
      selector: 'edge',
      style: {
        width: 1.5, 'curve-style': 'bezier', 'line-color': '#5f7f68', 'target-arrow-color': '#5f7f68', 'target-arrow-shape': 'triangle', 'arrow-scale': 0.9,
        'line-style': 'solid', label: '', 'font-size': 12, color: mapColours.text, 'text-background-color': '#ffffff', 'text-background-opacity': 1,
        'text-background-padding': '2px', 'text-border-width': 1, 'text-border-color': '#a9b3c1', 'text-border-opacity': 1, 'text-rotation': 'autorotate',
      },
    },
    { selector: 'edge.state-unknown', style: { 'line-color': '#8d9399', 'target-arrow-color': '#8d9399', 'line-style': 'dotted' } },
    { selector: 'edge.state-degraded', style: { width: 3, 'line-color': mapColours.degraded, 'target-arrow-color': mapColours.degraded, 'line-style': 'dashed', 'line-dash-pattern': [8, 4], 'z-index': 5 } },
    { selector: 'edge.state-down', style: { width: 4.5, 'line-color': mapColours.down, 'target-arrow-color': mapColours.down, 'line-style': 'dashed', 'line-dash-pattern': [12, 5], 'z-index': 6 } },
    { selector: 'edge.impacted', style: { 'line-outline-width': 1.5, 'line-outline-color': mapColours.impacted } },
    { selector: 'edge.root-cause', style: { width: 6, 'underlay-color': mapColours.down, 'underlay-padding': 7, 'underlay-opacity': 0.3, 'z-index': 9, label: 'data(label)', 'font-weight': 'bold' } },
    { selector: 'edge.hover, edge:selected', style: { label: 'data(label)', 'z-index': 10 } },
    { selector: 'node.service:selected', style: { 'border-color': mapColours.selected, 'border-width': 5 } },
    { selector: 'edge:selected', style: { 'line-color': mapColours.selected, 'target-arrow-color': mapColours.selected } },
    { selector: '.hidden', style: { display: 'none' } },
  ];
}
