import { useEffect, useRef } from 'preact/hooks';
import cytoscape, { type BoundingBox12, type BoundingBoxWH, type Core, type ElementDefinition } from 'cytoscape';
import dagre from 'cytoscape-dagre';
import type { MapElement, MapModel } from './map-elements.ts';
import { packRows, teamOrder, type TeamBox } from './map-layout.ts';
import { mapStyle } from './map-style.ts';

cytoscape.use(dagre);

/** Above this many services the map uses Cytoscape's viewport performance options. */
export const LARGE_MAP = 150;

/**
 * The name of the performance mark set when a layout ends (performance.getEntriesByName): its
 * startTime is the time since navigation, its detail says how many services and edges were laid
 * out and how long the layout itself took.
 */
export const LAYOUT_MARK = 'pharos:map-layout-end';

export interface MapCanvasProps {
  model: MapModel;
  /** Element ids a team filter shows; undefined: all. */
  visible: Set<string> | undefined;
  /** The selected service or edge (element id); the canvas selects and centres it. */
  selected: string | undefined;
  onSelect(elementId: string | undefined): void;
}

const definition = (e: MapElement): ElementDefinition => ({ group: e.group, data: { ...e.data }, classes: e.classes });

// Each team's services left to right: a service on the left depends on what is to its right.
// Sizes include the labels so none overlap.
const dagreOptions = { name: 'dagre', rankDir: 'LR', nodeSep: 12, rankSep: 110, edgeSep: 8, ranker: 'network-simplex', nodeDimensionsIncludeLabels: true, fit: false, animate: false } as cytoscape.LayoutOptions;
/** A team box's padding (as in map-style.ts) and the height its label takes above the box. */
const TEAM_PADDING = 14;
const TEAM_LABEL = 22;
const TEAM_GAP = { x: 90, y: 30 };

/** The Cytoscape canvas of the dependency map, with fit and zoom buttons. */
export function MapCanvas({ model, visible, selected, onSelect }: MapCanvasProps) {
  const container = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | undefined>(undefined);
  const select = useRef(onSelect);
  select.current = onSelect;

  // Created once; later models are patched into it (positions kept, no relayout unless elements come or go).
  useEffect(() => {
    const large = model.elements.filter((e) => e.data.kind === 'service').length > LARGE_MAP;
    const started = performance.now();
    const instance = cytoscape({
      container: container.current!,
      elements: model.elements.map(definition),
      style: mapStyle(large),
      minZoom: 0.05,
      maxZoom: 3,
      wheelSensitivity: 0.3,
      boxSelectionEnabled: false,
      autoungrabify: true,
      ...(large ? { hideEdgesOnViewport: true, textureOnViewport: true, pixelRatio: 1, motionBlur: false } : {}),
    });
    cy.current = instance;
    instance.on('tap', 'node.service, edge', (event) => select.current(event.target.id()));
    instance.on('tap', (event) => event.target === instance && select.current(undefined));
    instance.on('mouseover', 'edge', (event) => event.target.addClass('hover'));
    instance.on('mouseout', 'edge', (event) => event.target.removeClass('hover'));
    runLayout(instance, true, started);
    // The canvas changes size when the details panel opens or closes and on rotation: Cytoscape
    // follows window resizes only, so it is told.
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(container.current!);
    return () => {
      observer.disconnect();
      instance.destroy();
      cy.current = undefined;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const instance = cy.current;
    if (instance) patch(instance, model);
  }, [model]);

  useEffect(() => {
    const instance = cy.current;
    if (!instance) return;
    instance.batch(() => {
      instance.elements().forEach((el) => {
        if (!visible || visible.has(el.id())) el.removeClass('hidden');
        else el.addClass('hidden');
      });
    });
    instance.fit(instance.elements(':visible'), 24);
  }, [visible]);

  useEffect(() => {
    const instance = cy.current;
    if (!instance) return;
    instance.elements(':selected').unselect();
    if (!selected) return;
    const el = instance.getElementById(selected);
    if (el.empty()) return;
    el.select();
    instance.animate({ center: { eles: el }, zoom: Math.max(instance.zoom(), 0.9) }, { duration: 200 });
  }, [selected]);

  const zoomBy = (factor: number) => {
    const instance = cy.current;
    if (!instance) return;
    const { width, height } = { width: instance.width(), height: instance.height() };
    instance.zoom({ level: instance.zoom() * factor, renderedPosition: { x: width / 2, y: height / 2 } });
  };

  return (
    <div class="map-frame">
      <div class="map-zoom" role="group" aria-label="Zoom">
        <button type="button" onClick={() => cy.current?.fit(cy.current.elements(':visible'), 24)}>Fit</button>
        <button type="button" onClick={() => zoomBy(1.25)} aria-label="Zoom in">+</button>
        <button type="button" onClick={() => zoomBy(0.8)} aria-label="Zoom out">−</button>
      </div>
      <div class="map-canvas" ref={container} role="img" aria-label={model.summary} />
    </div>
  );
}

/**
 * Lays the map out: dagre within each team, then the team boxes in dependency order, packed in rows
 * to the canvas's shape (map-layout.ts says why), then fits it. Sets LAYOUT_MARK when done.
 */
function runLayout(instance: Core, fit: boolean, started: number): void {
  const boxes: TeamBox[] = [];
  const origins = new Map<string, BoundingBox12 & BoundingBoxWH>();
  instance.nodes('.team').forEach((team) => {
    const children = team.children();
    if (children.empty()) return;
    const inner = children.union(children.edgesWith(children));
    inner.layout(dagreOptions).run();
    const bb = children.boundingBox({ includeLabels: true, includeOverlays: false, includeUnderlays: false });
    origins.set(team.id(), bb);
    boxes.push({ id: team.id(), w: bb.w + 2 * TEAM_PADDING, h: bb.h + 2 * TEAM_PADDING + TEAM_LABEL });
  });
  const order = teamOrder(boxes.map((b) => b.id), instance.edges().map((e) => [e.source().data('parent') as string, e.target().data('parent') as string] as const));
  const byId = new Map(boxes.map((b) => [b.id, b]));
  const at = packRows(order.map((id) => byId.get(id)!), instance.width() / Math.max(1, instance.height()), TEAM_GAP);
  instance.batch(() => {
    for (const [id, pos] of at) {
      const bb = origins.get(id)!;
      instance.getElementById(id).children().shift({ x: pos.x + TEAM_PADDING - bb.x1, y: pos.y + TEAM_PADDING + TEAM_LABEL - bb.y1 });
    }
  });
  if (fit) instance.fit(instance.elements(':visible'), 24);
  performance.mark(LAYOUT_MARK, { detail: { services: instance.nodes('.service').length, edges: instance.edges().length, layout_ms: Math.round(performance.now() - started) } });
}

/** Brings the canvas to `model`: data and classes in place; added or removed elements relayout. */
function patch(instance: Core, model: MapModel): void {
  const wanted = new Map(model.elements.map((e) => [e.data.id, e]));
  let structural = false;
  instance.batch(() => {
    instance.elements().forEach((el) => {
      const next = wanted.get(el.id());
      if (!next) {
        el.remove();
        structural = true;
        return;
      }
      // Keys the new data lacks (an incident that resolved) are removed, not kept from before.
      const stale = Object.keys(el.data()).filter((k) => !(k in next.data));
      if (stale.length) el.removeData(stale.join(' '));
      el.data(next.data);
      const hidden = el.hasClass('hidden');
      const hover = el.hasClass('hover');
      el.classes([...next.classes, ...(hidden ? ['hidden'] : []), ...(hover ? ['hover'] : [])]);
    });
    const missing = model.elements.filter((e) => instance.getElementById(e.data.id).empty());
    // Parents before children and nodes before edges, as Cytoscape needs them.
    missing.sort((a, b) => order(a) - order(b));
    if (missing.length) {
      instance.add(missing.map(definition));
      structural = true;
    }
  });
  if (structural) runLayout(instance, false, performance.now());
}

const order = (e: MapElement) => (e.data.kind === 'team' ? 0 : e.data.kind === 'service' ? 1 : 2);
