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
}
