import type { Rejection, ServingTarget } from './types';

/** Base class: the serving decision cannot be made as asked. */
export class DecisionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Every target breaks a hard limit or the team constraint. */
export class NoFeasibleTargetError extends DecisionError {
  constructor(readonly rejected: readonly Rejection[]) {
    super(`No serving target fits this traffic profile: ${rejected.map((r) => `${r.target}: ${r.reason}`).join('; ')}`);
  }
}

/** `forceTarget` names a target that breaks a hard limit (team size alone can be overridden). */
export class ForcedTargetInfeasibleError extends DecisionError {
  constructor(
    readonly target: ServingTarget,
    readonly violations: readonly string[],
  ) {
    super(`forceTarget '${target}' breaks a hard limit: ${violations.join('; ')}`);
  }
}
