/**
 * 行政复议、行政诉讼 outcomes on the case (`shared/domain/appeals.ts`): `pk=CASE#<caseId>`,
 * `sk=APPEAL#<appealId>`. An outcome is written once with whatever it changes, in one transaction:
 * a revocation marks the decision's notice revoked (a notice is revoked once) and puts the
 * application or the case back where it stood, so the outcome is never recorded without its effect
 * nor the effect without the outcome.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import type { AppealRecord } from '../domain/appeals.ts';
import type { Notice } from '../domain/cases.ts';
import { queryAll } from '../dynamo.ts';
import { casesTable } from '../resources.ts';

const table = () => requiredEnv(casesTable.env);
const APPEAL = (caseId: string, appealId: string) => ({ pk: `CASE#${caseId}`, sk: `APPEAL#${appealId}` });
const NOTICE = (caseId: string, noticeId: string) => ({ pk: `CASE#${caseId}`, sk: `NOTICE#${noticeId}` });

/** A notice as stored on the case: what decided it, and the appeal that revoked it, if any. */
export type NoticeItem = Notice<string> & {
  applicationId?: string;
  recheckId?: string;
  emergencyId?: string;
  workflow?: string;
  revokedBy?: string;
};

const strip = <T>({ pk: _pk, sk: _sk, ...rest }: Record<string, unknown>) => rest as T;

export async function getNotice(caseId: string, noticeId: string): Promise<NoticeItem | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: NOTICE(caseId, noticeId), ConsistentRead: true }),
  );
  return Item ? strip<NoticeItem>(Item) : undefined;
}

export async function getAppeal(caseId: string, appealId: string): Promise<AppealRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: APPEAL(caseId, appealId), ConsistentRead: true }),
  );
  return Item ? strip<AppealRecord>(Item) : undefined;
}

export async function listAppeals(caseId: string): Promise<AppealRecord[]> {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
    ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':a': 'APPEAL#' },
    ConsistentRead: true,
  });
  return items
    .map((item) => strip<AppealRecord>(item))
    .sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
}

/** A write of the transaction that records an outcome, conditional on the state it was read in. */
export type AppealWrite = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/**
 * - `recorded`: written now, with its effects;
 * - `exists`: this appeal was recorded before (a retry): nothing written;
 * - `revoked`: the notice was revoked by another appeal meanwhile;
 * - `stale`: what the effects were read from changed meanwhile (read again and decide again).
 */
export type AppealWriteResult = 'recorded' | 'exists' | 'revoked' | 'stale';

export async function recordAppeal(
  record: AppealRecord,
  effects: AppealWrite[] = [],
): Promise<AppealWriteResult> {
  const revokes = record.outcome === 'revoked';
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table(),
              Item: { ...APPEAL(record.caseId, record.appealId), ...record },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: table(),
              Key: NOTICE(record.caseId, record.noticeId),
              UpdateExpression: revokes
                ? 'SET revokedBy = :a, appealIds = list_append(if_not_exists(appealIds, :none), :ids)'
                : 'SET appealIds = list_append(if_not_exists(appealIds, :none), :ids)',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedBy)',
              ExpressionAttributeValues: {
                ':none': [],
                ':ids': [record.appealId],
                ...(revokes ? { ':a': record.appealId } : {}),
              },
            },
          },
          ...effects,
        ],
      }),
    );
    return 'recorded';
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const [appeal, notice] = (error.CancellationReasons ?? []).map((r) => r.Code);
    if (appeal === 'ConditionalCheckFailed') return 'exists';
    if (notice === 'ConditionalCheckFailed') return 'revoked';
    if ((error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed')) return 'stale';
    throw error;
  }
}
