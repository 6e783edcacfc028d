import type { AlarmRow } from './report-schema';
import { renderCfnValue } from './render-cfn-value';
import { listOf, locationOf, prop, type TemplateIndex } from './template-index';

const COMPARISONS: Record<string, string> = {
  GreaterThanOrEqualToThreshold: '>=',
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside band',
  GreaterThanUpperThreshold: '> band',
  LessThanLowerThreshold: '< band',
};

/** Every alarm: the failure path it covers (its description), what it watches, and how many actions it notifies. */
export function alarms(index: TemplateIndex): AlarmRow[] {
  return index.ofType('AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm').map((entry) => {
    const r = entry.resource;
    const description = prop(r, 'AlarmDescription');
    const condition =
      r.Type === 'AWS::CloudWatch::CompositeAlarm'
        ? `composite: ${renderCfnValue(prop(r, 'AlarmRule'))}`
        : `${prop<string>(r, 'MetricName') ?? 'metric math'} ${COMPARISONS[prop<string>(r, 'ComparisonOperator') ?? ''] ?? prop<string>(r, 'ComparisonOperator')} ${renderCfnValue(prop(r, 'Threshold'))}`.trim();
    return {
      ...locationOf(entry),
      watches: description !== undefined ? `${renderCfnValue(description)} (${condition})` : condition,
      notifies: listOf(prop(r, 'AlarmActions')).length,
    };
  });
}
