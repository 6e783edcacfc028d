import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';

/** What happens to an asynchronous invocation that failed every retry. */
export type AsyncFailureHandling = 'dead-letter-queue' | 'on-failure-destination';

export interface PlatformFunctionProps {
  /**
   * Path of the handler module, which exports `handler`: bundled with esbuild at synth (esbuild must be installed), or,
   * where the file does not exist, the prebuilt bundle `index.js` in its folder (how the installed package ships its own).
   */
  readonly entry: string;

  /** What the function does, for the console and the audit trail. */
  readonly description: string;

  /** Memory in MB; CPU scales with it (1769 MB = one vCPU). Chosen per function, never defaulted. */
  readonly memorySize: number;

  /** Longest run of one invocation. Chosen per function, never defaulted. */
  readonly timeout: Duration;

  /** Executions reserved for (and capping) this function. Chosen per function, never defaulted. */
  readonly reservedConcurrentExecutions: number;

  /** VPC whose private subnets the function runs in. */
  readonly vpc: ec2.IVpc;

  /**
   * Environment variables exactly as the handler reads them; encrypted at rest with `encryptionKey`.
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;

  /**
   * Subnets of the function's network interfaces.
   * @default - the VPC's private subnets with egress (`SubnetType.PRIVATE_WITH_EGRESS`)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security group of the function's network interfaces.
   * @default - a new group with no inbound rule and outbound HTTPS (TCP 443) only, for the AWS APIs
   */
  readonly securityGroup?: ec2.ISecurityGroup;

  /**
   * Key for the log group, the environment variables and the dead-letter queue. CloudWatch Logs must be allowed to use
   * it (`createFunctionsKey` does that).
   * @default - a new key from `createFunctionsKey`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long the function's logs are kept (a period CloudWatch Logs accepts).
   * @default Duration.days(365)
   */
  readonly logRetention?: Duration;

  /**
   * Where an asynchronous invocation goes after its last retry: the function's dead-letter queue (`DeadLetterConfig`,
   * the event only) or an on-failure destination on the same queue (the event with the error and the request context).
   * @default 'dead-letter-queue'
   */
  readonly asyncFailureHandling?: AsyncFailureHandling;

  /**
   * Retries of a failed asynchronous invocation (0-2).
   * @default 2
   */
  readonly retryAttempts?: number;

  /**
   * How long failed messages stay in the dead-letter queue for inspection and redrive.
   * @default Duration.days(14)
   */
  readonly deadLetterRetention?: Duration;

  /**
   * Instruction set: arm64 is cheaper per GB-second; x86_64 only if a dependency ships native code for it alone.
   * @default lambda.Architecture.ARM_64
   */
  readonly architecture?: lambda.Architecture;

  /**
   * Files beside the bundle that the code loads at run time, as paths relative to the project root
   * (e.g. a WebAssembly module that a dependency reads from its own folder).
   * @default - none
   */
  readonly bundledFiles?: readonly string[];

  /**
   * Further entry points the code starts at run time from the bundle's folder (e.g. a `worker_threads` script), as
   * paths relative to the project root; each is bundled with esbuild, with its dependencies, to `<name>.js` beside
   * `index.js`.
   * @default - none
   */
  readonly additionalEntryPoints?: readonly string[];

  /**
   * What happens to the log group, the dead-letter queue and a key created here when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
