import { LoadTestSettings, LoadTestSettingsInput, type LoadTestSettingsInput as Input } from '../../contract/load-test.schema.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { callerOf } from '../resources/crud.routes.ts';
import { presentLoadTestSettings, type LoadTestSettingsService } from './load-test-settings.service.ts';

const tag = 'Load tests';

/** GET and PUT /v1/load-test-settings: the organization's load-test guard rails. */
export function loadTestSettingsRoutes(settings: LoadTestSettingsService): AnyRoute[] {
  const found = { 200: { description: "The organization's load-test settings (the defaults until an org admin writes them).", schema: LoadTestSettings } };
  return [
    defineRoute({
      method: 'get', path: '/v1/load-test-settings', operationId: 'get_load_test_settings', summary: "Get the organization's load-test guard rails (allowed hosts, limits)", tag, auth: 'principal',
      responses: found,
      handle: async (req) => {
        const stored = await settings.get(callerOf(req));
        return { status: 200, body: presentLoadTestSettings(stored), version: stored.version };
      },
    }),
    defineRoute({
      method: 'put', path: '/v1/load-test-settings', operationId: 'replace_load_test_settings', summary: "Replace the organization's load-test guard rails (org admin; a missing field takes its default)", tag, auth: 'principal',
      body: LoadTestSettingsInput, conditional: true,
      responses: found,
      handle: async (req) => {
        const stored = await settings.replace(callerOf(req), req.body as Input, req.ifMatch);
        return { status: 200, body: presentLoadTestSettings(stored), version: stored.version };
      },
    }),
  ];
}
