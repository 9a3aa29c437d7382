/** What the benches cost their counted requests at. */

/**
 * AWS list prices, USD, region cn-agnostic (us-east-1 on 2026-11-01; China regions bill in CNY at
 * different rates — replace this table for a cost model in CNY).
 */
export const PRICES = {
  stepFunctionsPerTransition: 0.025 / 1000,
  lambdaPerRequest: 0.2 / 1_000_000,
  lambdaPerGbSecondArm: 0.0000133334,
  lambdaMemoryGb: 0.5,
  dynamoPerWriteRequest: 0.625 / 1_000_000,
  dynamoPerReadRequest: 0.125 / 1_000_000,
  sqsPerRequest: 0.4 / 1_000_000,
  s3PerPut: 0.005 / 1000,
  s3PerGet: 0.0004 / 1000,
  httpApiPerRequest: 1.0 / 1_000_000,
} as const;
