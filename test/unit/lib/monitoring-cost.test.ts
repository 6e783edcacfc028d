import { PRICES } from '../../../lib/decision/pricing';
import { monitoringMonthlyCost } from '../../../lib/monitoring/monitoring-cost';

describe('monitoringMonthlyCost', () => {
  test('samples = series x seconds per month / interval, priced per 10M; collectors per hour; users per month', () => {
    const lines = monitoringMonthlyCost({
      activeSeries: 1000,
      scrapeIntervalSeconds: 15,
      collectors: 1,
      grafanaEditors: 2,
      grafanaViewers: 5,
      interfaceEndpointAzs: 6,
      keys: 2,
    });
    const byItem = Object.fromEntries(lines.map((line) => [line.item, line.monthlyUsd]));
    expect(byItem['AMP samples ingested']).toBeCloseTo(((1000 * 730 * 3600) / 15 / 1e7) * PRICES.ampSamplesIngested.usd, 6);
    expect(byItem['AMP managed collector']).toBeCloseTo(730 * PRICES.ampCollectorHour.usd, 6);
    expect(byItem['Grafana workspace users']).toBe(2 * PRICES.grafanaEditorMonth.usd + 5 * PRICES.grafanaViewerMonth.usd);
    expect(byItem['AMP interface endpoints']).toBeCloseTo(6 * 730 * PRICES.interfaceEndpointHour.usd, 6);
    expect(byItem['KMS keys']).toBe(2 * PRICES.kmsKeyMonth.usd);
    for (const line of lines) expect(line.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
  });
});
