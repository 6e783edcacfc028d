import * as budgets from 'aws-cdk-lib/aws-budgets';
import { Construct } from 'constructs';
import { InvalidPropError } from '../shared/prop-validation';

export interface TrainingBudgetProps {
  /** The environment whose `Environment` cost-allocation tag the budget filters on. */
  readonly environmentName: string;
  /** Monthly SageMaker spend allowed, in USD. */
  readonly monthlyUsd: number;
  /** Who is emailed (1-10 addresses, the AWS Budgets limit per notification). */
  readonly emails: readonly string[];
  /**
   * Percent of the budget at which actual spend alerts.
   * @default 80
   */
  readonly actualThresholdPercent?: number;
  /**
   * Percent of the budget at which forecast spend alerts.
   * @default 100
   */
  readonly forecastThresholdPercent?: number;
}

/**
 * A monthly AWS Budgets cost budget for one environment's SageMaker spend (jobs carry the `Environment` tag), emailing
 * at actual and forecast thresholds. The tag must be activated as a cost-allocation tag once per account (Billing
 * console), or the filter matches nothing.
 */
export class TrainingBudget extends Construct {
  readonly budget: budgets.CfnBudget;

  constructor(scope: Construct, id: string, props: TrainingBudgetProps) {
    super(scope, id);
    const actual = props.actualThresholdPercent ?? 80;
    const forecast = props.forecastThresholdPercent ?? 100;
    if (!(props.monthlyUsd > 0)) throw new InvalidPropError('TrainingBudget', 'monthlyUsd', props.monthlyUsd, 'a positive number of USD');
    if (props.emails.length < 1 || props.emails.length > 10)
      throw new InvalidPropError('TrainingBudget', 'emails', props.emails.join(', '), '1 to 10 email addresses');
    const subscribers = props.emails.map((address) => ({ subscriptionType: 'EMAIL', address }));
    const notify = (notificationType: 'ACTUAL' | 'FORECASTED', threshold: number) => ({
      notification: { notificationType, comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE' },
      subscribers,
    });
    this.budget = new budgets.CfnBudget(this, 'Budget', {
      budget: {
        budgetName: `mlops-${props.environmentName}-sagemaker`,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.monthlyUsd, unit: 'USD' },
        costFilters: { Service: ['Amazon SageMaker'], TagKeyValue: [`user:Environment$${props.environmentName}`] },
      },
      notificationsWithSubscribers: [notify('ACTUAL', actual), notify('FORECASTED', forecast)],
    });
  }
}
