// The Kubernetes objects under runner/test/fixtures/kube/, shaped like the API reference's examples
// (one object per file, named `<kind>-<name>.json`), ready for FakeKubeApi.start({ fixtures }).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from './fake-kube-api.resources.ts';

export const kubeFixturesDir = join(import.meta.dirname, '..', 'fixtures', 'kube');

const kindOrder = ['Namespace', 'Service', 'Ingress'];

/**
 * Reads fixture objects by file name without `.json` (`service-my-service`), or all of them;
 * Namespaces come first so the objects they hold can be applied in the returned order.
 */
export function loadKubeFixtures(...names: string[]): KubeObject[] {
  const files = names.length ? names.map((n) => `${n}.json`) : readdirSync(kubeFixturesDir).filter((f) => f.endsWith('.json')).sort();
  const objects = files.map((file) => JSON.parse(readFileSync(join(kubeFixturesDir, file), 'utf8')) as KubeObject);
  return objects.sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind));
}
