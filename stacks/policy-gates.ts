import { type App, Validations } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';

/**
 * Every synth runs the same gates: cdk-nag AwsSolutions and NIST 800-53 R5, and the cfn-guard Control Tower
 * proactive controls. CloudFormation schema validation is switched on as errors in cdk.json
 * (`@aws-cdk/core:validateAgainstDefaultRules`). Acknowledgments live beside the construct that needs them.
 */
export function registerPolicyGates(app: App): void {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true }),
    new NIST80053R5Checks(app, { verbose: true }),
    new CfnGuardValidator({ controlTowerRulesEnabled: true }),
  );
}
