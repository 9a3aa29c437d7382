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

/**
 * What the local engine keeps in DynamoDB Local is what Step Functions keeps on AWS: priced as state
 * transitions, not as DynamoDB requests.
 */
export const ENGINE = 'stepFunctionsEngine';

/**
 * The system's requests by kind, from the counts by caller (`requestCountsByCaller`): every function's
 * but the engine's own and those of `notCosted` (a bench's polling, standing in for people looking).
 */
export function requestTotals(
  byCaller: Record<string, Record<string, number>>,
  notCosted: readonly string[],
) {
  const requests: Record<string, number> = {};
  for (const [who, byOperation] of Object.entries(byCaller))
    if (who !== ENGINE && !notCosted.includes(who))
      for (const [k, v] of Object.entries(byOperation)) requests[k] = (requests[k] ?? 0) + v;
  const sum = (pred: (k: string) => boolean) =>
    Object.entries(requests)
      .filter(([k]) => pred(k))
      .reduce((a, [, v]) => a + v, 0);
  return {
    dynamoWrites: sum(
      (k) => k.startsWith('DynamoDB.') && /Put|Update|Delete|TransactWrite|BatchWrite/.test(k),
    ),
    dynamoReads: sum((k) => k.startsWith('DynamoDB.') && /Get|Query|Scan|TransactGet|BatchGet/.test(k)),
    sqsRequests: sum((k) => k.startsWith('SQS.')),
    s3Puts: sum((k) => k === 'S3.PutObject'),
    s3Gets: sum((k) => k === 'S3.GetObject'),
    sfnRequests: sum((k) => k.startsWith('StepFunctions.')),
  };
}
