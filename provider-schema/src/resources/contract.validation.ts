// Loaded lazily (dynamic import) by config.validator.ts: ajv, TypeBox and the contract's rules
// are only parsed and run in the processes that validate, not at every provider start-up.
import type { TObject } from '@sinclair/typebox';
import { ChannelInput, AlertRuleInput, MaintenanceWindowInput, RoutingPolicyInput } from '../../../api/src/contract/alerting.schema.ts';
import { alertExpressionErrors } from '../../../api/src/contract/alert-expression/analyze.ts';
import type { FieldError } from '../../../api/src/contract/errors.ts';
import { messageTemplateErrors } from '../../../api/src/contract/message-template.ts';
import { monitorErrors } from '../../../api/src/contract/monitor.rules.ts';
import { routingPolicyErrors } from '../../../api/src/contract/routing-policy.rules.ts';
import { SilenceInput } from '../../../api/src/contract/routing.schema.ts';
import { silenceErrors } from '../../../api/src/contract/silence.rules.ts';
import { IncidentSettingsInput } from '../../../api/src/contract/incident-settings.schema.ts';
import { MonitorInput, type MonitorInput as MonitorDoc } from '../../../api/src/contract/monitor.schema.ts';
import { DependencyInput, ServiceInput } from '../../../api/src/contract/service.schema.ts';
import { SloInput, sloErrors, type SloInput as SloDoc } from '../../../api/src/contract/slo.schema.ts';
import { StatusPageInput, statusPageErrors, type StatusPageInput as StatusPageDoc } from '../../../api/src/contract/status-page.schema.ts';
import { MemberInput, RunnerTokenInput, TeamInput } from '../../../api/src/contract/team.schema.ts';
import { Validator } from '../../../api/src/http/validator.ts';
import type { PharosResourceName } from './pharos.registry.ts';

/** The request body schema of each resource (the contract's *Input) and its pure cross-field rules. */
export interface ContractBinding {
  readonly input: TObject;
  readonly rules?: (doc: Record<string, unknown>) => FieldError[];
}

/** Resource type → contract input; also read by the parity test, so API and provider cannot drift. */
export const contractInputs: Readonly<Record<PharosResourceName, ContractBinding>> = {
  pharos_team: { input: TeamInput },
  pharos_team_member: { input: MemberInput },
  pharos_service: { input: ServiceInput },
  pharos_service_dependency: { input: DependencyInput },
  pharos_monitor: { input: MonitorInput, rules: (doc) => monitorErrors(doc as MonitorDoc) },
  // The alert language's parser and type checker: syntax and type errors at plan time; names resolve at apply (they need the API).
  // The message template is parsed the same way (unclosed tags, unknown variables).
  pharos_alert_rule: { input: AlertRuleInput, rules: (doc) => [...alertExpressionErrors(String(doc['expression'])), ...(typeof doc['message'] === 'string' ? messageTemplateErrors(doc['message']) : [])] },
  pharos_routing_policy: { input: RoutingPolicyInput, rules: (doc) => routingPolicyErrors(doc) },
  pharos_channel: { input: ChannelInput },
  pharos_maintenance_window: { input: MaintenanceWindowInput },
  pharos_slo: { input: SloInput, rules: (doc) => sloErrors(doc as SloDoc) },
  pharos_runner_token: { input: RunnerTokenInput },
  pharos_silence: { input: SilenceInput, rules: (doc) => silenceErrors(doc) },
  pharos_status_page: { input: StatusPageInput, rules: (doc) => statusPageErrors(doc as StatusPageDoc) },
  pharos_incident_settings: { input: IncidentSettingsInput },
};

let validator: Validator | undefined;

/**
 * Field errors of a request body, exactly as the API would report them: the contract's JSON
 * Schema first (ajv, defaults filled in), then the cross-field rules when the schema passed.
 * `rulesAllowed` is false when unknown values could make the rules misjudge; `ignore` drops
 * errors about values not known yet.
 */
export function contractErrors(typeName: PharosResourceName, doc: Record<string, unknown>, opts: { rulesAllowed: boolean; ignore: (pointer: string) => boolean }): FieldError[] {
  const binding = contractInputs[typeName];
  validator ??= new Validator();
  const copy = structuredClone(doc);
  const errors = validator.errors(binding.input, copy).filter((e) => !opts.ignore(e.pointer));
  if (errors.length > 0 || !opts.rulesAllowed || !binding.rules) return errors;
  return binding.rules(copy).filter((e) => !opts.ignore(e.pointer));
}
