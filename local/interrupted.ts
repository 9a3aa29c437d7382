/**
 * What a killed runtime leaves half done in the idempotency table. Every Lambda of the local
 * runtime runs in its one process, so when it starts, no handler is running: a Powertools record
 * still `INPROGRESS` belongs to an invocation that died with the previous process. On AWS such a
 * record lapses with the Lambda's timeout (its `in_progress_expiration`) before any retry; locally a
 * resumed execution replays the step at once, and would be refused (`IdempotencyAlreadyInProgress
 * Error`) until the record lapsed on the virtual clock. Removed at start, the step runs again and
 * writes its record as the first run would have.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';

/** Removes the `INPROGRESS` records of `tableName` (keyed `id`, Powertools' defaults); returns how many. */
export async function clearInterruptedIdempotency(
  client: DynamoDBClient,
  tableName: string,
): Promise<number> {
  const doc = DynamoDBDocumentClient.from(client);
  const names = { '#s': 'status' };
  const values = { ':p': 'INPROGRESS' };
  let cleared = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#s = :p',
        ProjectionExpression: 'id',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ExclusiveStartKey,
      }),
    );
    for (const { id } of page.Items ?? []) {
      try {
        await doc.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { id },
            ConditionExpression: '#s = :p',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        cleared++;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return cleared;
}
