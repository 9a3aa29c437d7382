/**
 * 公布 (社会救助法第四十五条): approvals published where the household lives, masked
 * (`shared/domain/publication.ts`). `pk=PUBLIC#<regionCode>, sk=<decidedOn>#<caseId>`: one entry
 * per approval, written once (a replayed step finds it), read per region newest first. 特困 end
 * notices (43号 第二十六条) beside them: `pk=PUBLICEND#<regionCode>, sk=<startsOn>#<endNoticeId>#<stage>`.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import type { PublishedApproval, PublishedEndNotice } from '../domain/publication.ts';
import { casesTable } from '../resources.ts';

const table = () => requiredEnv(casesTable.env);
/** At most this many entries are shown per region and request: a county's month of approvals. */
export const PUBLICATION_PAGE = 500;

export const publishApproval = (entry: PublishedApproval) =>
  putOnce({ pk: `PUBLIC#${entry.regionCode}`, sk: `${entry.decidedOn}#${entry.caseId}`, ...entry });

/** 特困 end notices (`PUBLICEND#<regionCode>`), each stage of each notice once. */
export const publishEndNotice = (entry: PublishedEndNotice) =>
  putOnce({
    pk: `PUBLICEND#${entry.regionCode}`,
    sk: `${entry.startsOn}#${entry.endNoticeId}#${entry.stage}`,
    ...entry,
  });

async function putOnce(item: Record<string, unknown>): Promise<boolean> {
  try {
    await dynamo().send(
      new PutCommand({ TableName: table(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
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
export const publishedApprovals = (regionCode: string, today: string) =>
  shownOn<PublishedApproval>(`PUBLIC#${regionCode}`, today, 'publishedUntil');

/** The end notices of `regionCode` shown on `today` (begun, not yet over), newest first. */
export const publishedEndNotices = (regionCode: string, today: string) =>
  shownOn<PublishedEndNotice>(`PUBLICEND#${regionCode}`, today, 'endsOn');

/** The items of a partition whose key begins with a day on or before `today` and whose `lastDay` is not past. */
async function shownOn<T>(pk: string, today: string, lastDay: string): Promise<T[]> {
  const { Items } = await dynamo().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND sk <= :upTo',
      FilterExpression: '#last >= :today',
      ExpressionAttributeNames: { '#last': lastDay },
      ExpressionAttributeValues: { ':pk': pk, ':upTo': `${today}#~`, ':today': today },
      ScanIndexForward: false,
      Limit: PUBLICATION_PAGE,
    }),
  );
  return (Items ?? []).map(({ pk: _pk, sk: _sk, ...entry }) => entry as T);
}
