import { CreatedDependency, Dependency, DependencyInput, type DependencyInput as Input } from '../../contract/service.schema.ts';
import type { AnyRoute } from '../../http/route.ts';
import { crudRoutes } from '../resources/crud.routes.ts';
import { presentDependency, type DependencyService } from './dependency.service.ts';

const present = (row: Parameters<typeof presentDependency>[0]) => ({ body: presentDependency(row), version: row.version });

/** /v1/services/{id}/dependencies */
export function dependencyRoutes(deps: DependencyService): AnyRoute[] {
  return crudRoutes({
    base: '/v1/services/{id}/dependencies',
    itemParam: 'dependency_id',
    tag: 'Services',
    singular: 'dependency',
    plural: 'dependencies',
    input: DependencyInput,
    output: Dependency,
    created: CreatedDependency,
    list: (req, caller) => deps.list(caller, req.params.id!, req.query as never),
    create: async (req, caller) => {
      const { row, warnings } = await deps.create(caller, req.params.id!, req.body as Input);
      return { body: { ...presentDependency(row), ...(warnings.length ? { warnings } : {}) }, version: row.version };
    },
    get: async (req, caller) => present(await deps.get(caller, req.params.id!, req.params.dependency_id!)),
    update: async (req, caller, patch) => present(await deps.update(caller, req.params.id!, req.params.dependency_id!, req.body, patch, req.ifMatch)),
    delete: (req, caller) => deps.delete(caller, req.params.id!, req.params.dependency_id!, req.ifMatch),
  });
}
