/** An Amazon States Language document; kept as plain JSON so CDK and the local runtime share it. */
export type AslDocument = {
  Comment?: string;
  StartAt: string;
  States: Record<string, Record<string, unknown>>;
};

export interface WorkflowDefinition {
  /** Logical id in CDK and the local state machine's name suffix. */
  id: string;
  /** The environment variable through which functions learn the state machine's ARN. */
  env: string;
  /** Placeholder → function name in `functions/catalog.ts`. */
  substitutions: Record<string, string>;
  definition: AslDocument;
  /**
   * What the state machine itself reads (ids in `shared/resources.ts`), besides invoking its functions:
   * a Distributed Map's ItemReader reading its manifest from S3 (under `prefix`).
   */
  grants?: Array<{ bucket: string; access: 'read'; prefix: string }>;
}
