import { PriorityClassV1 } from '@cdktf/provider-kubernetes/lib/priority-class-v1';
import { Construct } from 'constructs';
import { PRIORITY_CLASSES } from './workload-names';

/**
 * The platform's two PriorityClasses: serving above training. When a node (or the cluster's capacity) is short, the
 * scheduler evicts training pods to place serving pods, never the reverse; training never preempts anything
 * (`preemptionPolicy: Never`) and resumes from its checkpoint when rescheduled. Neither is the cluster default.
 */
export class PlatformPriorityClasses extends Construct {
  readonly serving: PriorityClassV1;
  readonly training: PriorityClassV1;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const labels = { 'app.kubernetes.io/part-of': 'mlops-blueprint', 'app.kubernetes.io/managed-by': 'terraform' };
    this.serving = new PriorityClassV1(this, 'Serving', {
      metadata: { name: PRIORITY_CLASSES.serving.name, labels },
      value: PRIORITY_CLASSES.serving.value,
      globalDefault: false,
      preemptionPolicy: 'PreemptLowerPriority',
      description: 'Model serving pods: placed before training pods, evicting them if needed',
    });
    this.training = new PriorityClassV1(this, 'Training', {
      metadata: { name: PRIORITY_CLASSES.training.name, labels },
      value: PRIORITY_CLASSES.training.value,
      globalDefault: false,
      preemptionPolicy: 'Never',
      description: 'GPU training pods: below serving, never preempt other pods; resumed from checkpoints when evicted',
    });
  }
}
