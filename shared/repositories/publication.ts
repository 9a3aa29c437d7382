/**
 * 公布 (社会救助法第四十五条): approvals published where the household lives, masked
 * (`shared/domain/publication.ts`). `pk=PUBLIC#<regionCode>, sk=<decidedOn>#<caseId>`: one entry
 * per approval, written once (a replayed step finds it), read per region newest first.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import type { PublishedApproval } from '../domain/publication.ts';
import { casesTable } from '../resources.ts';

const table = () => requiredEnv(casesTable.env);
/** At most this many entries are shown per region and request: a county's month of approvals. */
export const PUBLICATION_PAGE = 500;

export async function publishApproval(entry: PublishedApproval): Promise<boolean> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { pk: `PUBLIC#${entry.regionCode}`, sk: `${entry.decidedOn}#${entry.caseId}`, ...entry },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (
      error instanceof ConditionalCheckFailedException ||
      (error as Error).name === 'ConditionalCheckFailedException'
    )
      return false;
    throw error;
  }
}

/** The entries of `regionCode` still shown on `today` (decided on or before it, not yet expired), newest first. */
export async function publishedApprovals(regionCode: string, today: string): Promise<PublishedApproval[]> {
  const { Items } = await dynamo().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND sk <= :upTo',
      FilterExpression: 'publishedUntil >= :today',
      ExpressionAttributeValues: { ':pk': `PUBLIC#${regionCode}`, ':upTo': `${today}#~`, ':today': today },
      ScanIndexForward: false,
      Limit: PUBLICATION_PAGE,
    }),
  );
  return (Items ?? []).map(({ pk: _pk, sk: _sk, ...entry }) => entry as PublishedApproval);
}
