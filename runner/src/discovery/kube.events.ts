import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeClient } from './kube.client.ts';
import type { Logger } from 'pino';
import type { ObjectProblem } from './discovery.types.ts';

// Reports a problem on the Kubernetes object itself (`kubectl describe` shows it): a core/v1 Event
// of type Warning. Each distinct problem of an object is reported once per agent run, again only
// after it went away and came back. Without RBAC permission to create events (403), reporting stops
// quietly: the source report in Pharos still carries every problem.

const reasons: Record<ObjectProblem['code'], string> = {
  invalid_annotation: 'PharosInvalidAnnotation',
  missing_team: 'PharosInvalidAnnotation',
  unknown_team: 'PharosInvalidAnnotation',
  no_port: 'PharosInvalidAnnotation',
  unknown_port: 'PharosInvalidAnnotation',
  no_host: 'PharosInvalidAnnotation',
  unknown_dependency: 'PharosInvalidAnnotation',
  team_mismatch: 'PharosInvalidAnnotation',
  managed_elsewhere: 'PharosManagedElsewhere',
  api_error: 'PharosSyncFailed',
  sync_failed: 'PharosSyncFailed',
};

export interface EventRecorder {
  /** Posts an Event for each problem not reported yet; forgets problems that are gone. */
  report(problems: readonly ObjectProblem[]): Promise<void>;
  readonly forbidden: boolean;
}

export async function createEventRecorder(kc: KubeConfig, options: { source: string; instance: string; logger: Logger }): Promise<EventRecorder> {
  const { CoreV1Api } = await loadKubeClient();
  const core = kc.makeApiClient(CoreV1Api);
  let reported = new Set<string>();
  let forbidden = false;
  return {
    get forbidden() {
      return forbidden;
    },
    async report(problems) {
      const current = new Set<string>();
      for (const p of problems) {
        if (!p.object.uid || (p.object.kind !== 'Service' && p.object.kind !== 'Ingress')) continue;
        const key = `${p.object.uid}\u0000${p.code}\u0000${p.message}`;
        current.add(key);
        if (reported.has(key) || forbidden) continue;
        const now = new Date();
        try {
          await core.createNamespacedEvent({
            namespace: p.object.namespace,
            body: {
              apiVersion: 'v1',
              kind: 'Event',
              metadata: { generateName: `${p.object.name}.pharos-`, namespace: p.object.namespace },
              involvedObject: {
                apiVersion: p.object.kind === 'Ingress' ? 'networking.k8s.io/v1' : 'v1', kind: p.object.kind, name: p.object.name, namespace: p.object.namespace, uid: p.object.uid },
              type: 'Warning',
              reason: reasons[p.code],
              message: `${p.message} (${p.code}, discovery source "${options.source}")`.slice(0, 1024),
              source: { component: 'pharos-discovery' },
              reportingComponent: 'pharos.dev/discovery',
              reportingInstance: options.instance.slice(0, 128),
              firstTimestamp: now,
              lastTimestamp: now,
              count: 1,
            },
          });
          reported.add(key);
        } catch (err) {
          const status = (err as { code?: number; statusCode?: number }).code ?? (err as { statusCode?: number }).statusCode;
          if (status === 403) {
            forbidden = true;
            options.logger.info('not allowed to create Events (RBAC): problems are reported in Pharos only; grant "create" on events to see them with kubectl describe');
          } else {
            reported.add(key); // once per problem, not on every sync
            options.logger.warn({ object: `${p.object.kind}/${p.object.namespace}/${p.object.name}`, error: (err as Error).message }, 'could not post a Kubernetes Event');
          }
        }
      }
      reported = new Set([...reported].filter((k) => current.has(k)));
    },
  };
}
