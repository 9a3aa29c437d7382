import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';

/** A write refused by its condition: alone, or as one item of a transaction. */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed'));

/** Every item a query matches, page after page. */
export async function queryAll(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

/**
 * Writes `requests` to one table, 25 a batch, writing again what DynamoDB left unprocessed (it may,
 * under throttling) with a growing pause; throws after eight tries of one batch.
 */
export async function batchWriteAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending = requests.slice(i, i + 25);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === 8)
        throw new Error(`${tableName}: ${pending.length} writes unprocessed after ${attempt} tries`);
      const { UnprocessedItems } = await client.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: [...pending] } }),
      );
      pending = (UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
      if (pending.length) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
}

/**
 * `SET` each attribute of `set` (and `REMOVE` each of `remove`) with placeholder names, so any
 * attribute name is safe, reserved words included. Returns the expression and its names and values,
 * which a caller may extend (a version bump, a condition).
 */
export function setExpression(set: Record<string, unknown>, remove: readonly string[] = []) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries(set).map(([name, value], i) => {
    names[`#s${i}`] = name;
    values[`:s${i}`] = value;
    return `#s${i} = :s${i}`;
  });
  const removes = remove.map((name, i) => {
    names[`#r${i}`] = name;
    return `#r${i}`;
  });
  return { sets, removes, names, values };
}

/** Sets attributes of an item that must already exist (a missing one fails its condition). */
export function updateExisting(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: Record<string, unknown>,
  set: Record<string, unknown>,
  returnValues?: UpdateCommandInput['ReturnValues'],
) {
  const { sets, names, values } = setExpression(set);
  return client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(returnValues ? { ReturnValues: returnValues } : {}),
    }),
  );
}

/** A put that holds only if its condition does: an item of a transaction that must not overwrite. */
export type ConditionalPut = {
  Put: {
    TableName: string;
    Item: Record<string, unknown>;
    ConditionExpression: string;
    ExpressionAttributeValues?: Record<string, unknown>;
  };
};
