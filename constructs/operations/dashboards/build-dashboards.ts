import type { DashboardInput } from './dashboard-input';
import { dataDashboard } from './data-dashboard';
import { driftDashboard } from './drift-dashboard';
import { servingDashboard } from './serving-dashboard';
import { trainingDashboard } from './training-dashboard';

/** One dashboard as Grafana's HTTP API takes it (`POST /api/dashboards/db` body's `dashboard`). */
export interface GeneratedDashboard {
  readonly uid: string;
  readonly title: string;
  readonly json: Record<string, unknown>;
}

/** Every dashboard of an environment: serving, data path, drift when a model is watched for drift, training when a model is trained. */
export function buildDashboards(input: DashboardInput): GeneratedDashboard[] {
  const builders = [servingDashboard(input), dataDashboard(input)];
  if (input.driftModels.length > 0) builders.push(driftDashboard(input));
  if ((input.trainedModels ?? []).length > 0) builders.push(trainingDashboard(input));
  return builders.map((builder) => {
    // The SDK's objects carry builder internals (functions); the JSON round trip keeps what Grafana reads.
    const json = JSON.parse(JSON.stringify(builder.build())) as Record<string, unknown> & { uid: string; title: string };
    return { uid: json.uid, title: json.title, json };
  });
}

/** Every panel of a dashboard (rows flattened), for the README and the tests. */
export function panelsOf(json: Record<string, unknown>): Array<Record<string, any>> {
  const panels = (json.panels ?? []) as Array<Record<string, any>>;
  return panels.flatMap((panel) => (panel.type === 'row' ? (panel.panels ?? []) : [panel]));
}
