import { edgeKey, serviceKey, type NodeKey } from '../dependencies/failure-graph.ts';
import type { LoadedGraph } from './incident-graph.repository.ts';

/**
 * The graph node an alert is about: its subject (a monitor belongs to its edge when it checks one,
 * else to its service; an SLO to its service), or, for a rule without one subject, the service and
 * monitor its labels name. Null when the alert names nothing in the graph (it opens an incident of
 * its own).
 */
export function nodeOfAlert(loaded: Pick<LoadedGraph, 'monitors' | 'serviceIds' | 'sloServices' | 'graph'>, subject: { kind: string; id: string } | null | undefined, labels: Readonly<Record<string, string>>): NodeKey | null {
  if (subject) {
    if (subject.kind === 'monitor') {
      const m = loaded.monitors.get(subject.id);
      if (m) return m.node;
    } else if (subject.kind === 'service' && loaded.graph.services.has(subject.id)) return serviceKey(subject.id);
    else if (subject.kind === 'edge' && loaded.graph.edges.some((e) => e.id === subject.id)) return edgeKey(subject.id);
    else if (subject.kind === 'slo') {
      const service = loaded.sloServices.get(subject.id);
      if (service) return serviceKey(service);
    }
  }
  const serviceId = labels.service !== undefined ? loaded.serviceIds.get(labels.service) : undefined;
  if (!serviceId) return null;
  if (labels.depends_on !== undefined) {
    const to = loaded.serviceIds.get(labels.depends_on);
    const edge = loaded.graph.edges.find((e) => e.from === serviceId && e.to === to);
    if (edge) return edgeKey(edge.id);
  }
  if (labels.monitor !== undefined) {
    for (const m of loaded.monitors.values()) if (m.serviceId === serviceId && m.name === labels.monitor) return m.node;
  }
  return serviceKey(serviceId);
}
