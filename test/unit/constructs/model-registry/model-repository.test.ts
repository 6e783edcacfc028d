import { App, Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import * as iam from "aws-cdk-lib/aws-iam";
import {
  ModelRepository,
  type ModelRepositoryProps,
} from "../../../../constructs/model-registry";
import { fastCdkContext } from "../../../support/cdk-context";

function build(props?: ModelRepositoryProps) {
  const stack = new Stack(new App({ context: fastCdkContext() }), "Repo");
  const repository = new ModelRepository(stack, "ModelRepository", props);
  return { stack, repository };
}

describe("ModelRepository defaults", () => {
  const { stack, repository } = build();
  const reader = new iam.Role(stack, "Reader", {
    assumedBy: new iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
  });
  repository.grantRead(reader);
  const template = Template.fromStack(stack);

  test("models live under models/ in a KMS-encrypted, versioned, logged bucket with its own rotating key", () => {
    expect(repository.prefix).toBe("models/");
    expect(stack.resolve(repository.repositoryUri)).toEqual({
      "Fn::Join": [
        "",
        [
          "s3://",
          { Ref: expect.stringMatching(/^ModelRepositoryBucket/) },
          "/models/",
        ],
      ],
    });
    template.hasResourceProperties("AWS::KMS::Key", {
      EnableKeyRotation: true,
    });
    template.hasResourceProperties("AWS::S3::Bucket", {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: Match.objectLike({
              SSEAlgorithm: "aws:kms",
            }),
          }),
        ],
      },
      VersioningConfiguration: { Status: "Enabled" },
      LoggingConfiguration: Match.objectLike({
        LogFilePrefix: "model-repository/",
      }),
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            NoncurrentVersionExpiration: { NoncurrentDays: 90 },
          }),
        ],
      },
    });
  });

  test("retained on stack deletion", () => {
    for (const resource of Object.values(
      template.findResources("AWS::S3::Bucket"),
    ))
      expect(resource.DeletionPolicy).toBe("Retain");
  });

  const statementsOf = (t: Template) =>
    Object.values(t.findResources("AWS::IAM::Policy")).flatMap(
      (p) =>
        p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>,
    );
  const bucketRef = {
    "Fn::GetAtt": [expect.stringMatching(/^ModelRepositoryBucket/), "Arn"],
  };
  const keyRef = {
    "Fn::GetAtt": [
      expect.stringMatching(/^ModelRepositoryEncryptionKey/),
      "Arn",
    ],
  };
  const objectsRef = { "Fn::Join": ["", [bucketRef, "/models/*"]] };

  test("grantRead: object reads under models/, listing of models/ only, Decrypt — no wildcard actions, nothing on the bucket itself", () => {
    expect(statementsOf(template)).toEqual(
      expect.arrayContaining([
        { Effect: "Allow", Action: "kms:Decrypt", Resource: keyRef },
        {
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:GetObjectVersion"],
          Resource: objectsRef,
        },
        {
          Effect: "Allow",
          Action: "s3:ListBucket",
          Resource: bucketRef,
          Condition: { StringLike: { "s3:prefix": ["models/*"] } },
        },
      ]),
    );
    expect(statementsOf(template)).toHaveLength(3);
  });

  test("grantWrite: put (and abort a multipart upload), read back, list; GenerateDataKey + Decrypt — no delete, retention, legal hold, tagging, Encrypt or ReEncrypt", () => {
    const { stack: writerStack, repository: writerRepository } = build();
    const writer = new iam.Role(writerStack, "Writer", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
    });
    writerRepository.grantWrite(writer);
    const statements = statementsOf(Template.fromStack(writerStack));
    expect(statements).toHaveLength(3);
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: keyRef,
        },
        {
          Effect: "Allow",
          Action: [
            "s3:AbortMultipartUpload",
            "s3:GetObject",
            "s3:GetObjectVersion",
            "s3:PutObject",
          ],
          Resource: objectsRef,
        },
        { Effect: "Allow", Action: "s3:ListBucket", Resource: bucketRef },
      ]),
    );
    expect(JSON.stringify(statements)).not.toMatch(
      /Delete|Retention|LegalHold|Tagging|kms:Encrypt|ReEncrypt/,
    );
  });
});

describe("ModelRepository with custom props", () => {
  test("prefix, version expiry and removal follow the props", () => {
    const { stack, repository } = build({
      prefix: "serving/onnx/",
      noncurrentVersionExpiration: Duration.days(5),
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    const template = Template.fromStack(stack);
    expect(repository.prefix).toBe("serving/onnx/");
    template.hasResourceProperties("AWS::S3::Bucket", {
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            NoncurrentVersionExpiration: { NoncurrentDays: 5 },
          }),
        ],
      },
    });
    template.resourceCountIs("Custom::S3AutoDeleteObjects", 2);
  });

  test.each<[ModelRepositoryProps, RegExp]>([
    [
      { autoDeleteObjects: true },
      /ModelRepository: invalid autoDeleteObjects = true; only allowed with removalPolicy DESTROY/,
    ],
    [
      { prefix: "models" },
      /ModelRepository: invalid prefix = "models"; empty or key segments ending in '\/'/,
    ],
  ])("%j is rejected", (props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
