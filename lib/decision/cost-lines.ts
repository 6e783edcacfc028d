import { PRICES, type PriceId } from './pricing';
import type { CostLine, MonthlyCost } from './types';

/** One priced line: quantity in the price's unit (e.g. GB-s, hours, millions of requests). */
export function costLine(item: string, quantity: number, unit: string, priceId: PriceId): CostLine {
  const unitPriceUsd = PRICES[priceId].usd;
  return { item, quantity, unit, priceId, unitPriceUsd, monthlyUsd: quantity * unitPriceUsd };
}

export function monthlyCost(lines: readonly CostLine[]): MonthlyCost {
  return { totalUsd: lines.reduce((sum, line) => sum + line.monthlyUsd, 0), lines };
}
