import type { ScaleMeasurement } from './scale.context.ts';
import { alertEvaluationLag } from './scale.alerts.ts';
import { slaFromRollups } from './scale.sla.ts';
import { terraformApply } from './scale.terraform.ts';

// The measurements `npm run bench:scale` runs against each fleet it builds, after its own (creation,
// assignment planning, polls, paged status and dependency graph): SLA from rollups, alert evaluation
// lag, Terraform apply. Each is a ScaleMeasurement from its own file.
export const fleetMeasurements: ScaleMeasurement[] = [slaFromRollups, alertEvaluationLag, terraformApply];
