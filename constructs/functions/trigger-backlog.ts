import { Duration, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueueAlarms } from '../operations/queue-alarms';
import { InvalidPropError } from '../shared/prop-validation';
import type { ObjectCreatedTrigger } from './object-created-trigger';

/** One alarm period: a backlog alarm cannot look at a shorter age. */
const MIN_BACKLOG_AGE = Duration.minutes(5);

/** `maxBacklogAge` of a queue-triggered data-path construct, checked at construction rather than when alarms are added. */
export function resolveMaxBacklogAge(constructName: string, maxBacklogAge: Duration | undefined): Duration {
  const age = maxBacklogAge ?? Duration.hours(1);
  if (age.toSeconds() < MIN_BACKLOG_AGE.toSeconds()) {
    throw new InvalidPropError(constructName, 'maxBacklogAge', age.toHumanString(), 'at least 5 minutes (one alarm period)');
  }
  return age;
}

/** The backlog alarm of a data-path construct's trigger queue, named after the construct. */
export function watchTriggerBacklog(trigger: ObjectCreatedTrigger, alerts: IQueueAlarms, maxBacklogAge: Duration): cloudwatch.Alarm {
  const owner = trigger.node.scope!;
  return alerts.watchBacklog(trigger.queue, `${owner.node.id} trigger (${Stack.of(trigger).stackName})`, maxBacklogAge);
}
