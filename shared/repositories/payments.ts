/**
 * Payment records (发放记录) on the case: `pk=CASE#<caseId>, sk=PAY#<YYYY-MM>`. One item per case and
 * month, written with a conditional put, so a retried step, a replayed execution or a second
 * sweeper can never pay a month twice (docs/architecture.md §1: paid on time and in full, never twice).
 * A case receives one kind of payment in a month: its regular benefit, a gradual-exit month, or
 * (on an emergency case) the emergency grant. The one exception is an emergency's assessed amount
 * (what the county granted beyond the aid paid first, often in the same month): it has a slot of its
 * own, `PAY#<YYYY-MM>#emergencyAssessed`, and so is paid once too, beside the grant.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { auditPayment, paymentSlot } from '../audit.ts';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import type { BenefitPeriod } from '../domain/entitlements.ts';
import { queryAll } from '../dynamo.ts';
import { casesTable } from '../resources.ts';

const table = () => requiredEnv(casesTable.env);

export type PaymentKind = 'regular' | 'gradualExit' | 'emergencyGrant' | 'emergencyAssessed';

export interface PaymentRecord {
  caseId: string;
  /** `YYYY-MM`, China time. */
  month: string;
  kind: PaymentKind;
  /** Yuan. */
  amount: number;
  tier: string;
  /** Why this amount, in Chinese (e.g. 渐退期第2个月，共6个月). */
  basis: string;
  /** The execution that recorded it, for the auditor. */
  executionArn: string;
  recordedAt: string;
}

const key = (caseId: string, slot: string) => ({ pk: `CASE#${caseId}`, sk: `PAY#${slot}` });

function strip(item: Record<string, unknown>): PaymentRecord {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as PaymentRecord;
}

/**
 * Records the month's payment once. Returns the payment as stored: a second call for the same case
 * and month changes nothing and answers the first payment (`created: false`).
 */
export async function recordPayment(
  payment: PaymentRecord,
): Promise<{ created: boolean; payment: PaymentRecord }> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(payment.month))
    throw new RangeError(`bad payment month ${payment.month}`);
  try {
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...key(payment.caseId, paymentSlot(payment)), ...payment },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    await auditPayment(payment);
    return { created: true, payment };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  const { Item } = await dynamo().send(
    new GetCommand({
      TableName: table(),
      Key: key(payment.caseId, paymentSlot(payment)),
      ConsistentRead: true,
    }),
  );
  const stored = strip(Item!);
  // A retry after a crash between the payment and its audit entry completes the entry.
  await auditPayment(stored);
  return { created: false, payment: stored };
}

/** Every payment of a case, month by month. */
export async function listPayments(caseId: string): Promise<PaymentRecord[]> {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :pay)',
    ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':pay': 'PAY#' },
    ConsistentRead: true,
  });
  return items.map(strip);
}

// ── benefit periods ──────────────────────────────────────────────────────────────────────────────

/**
 * A decision's benefit period (`shared/domain/entitlements.ts`): `pk=CASE#<caseId>,
 * sk=BENEFIT#<decidedAt>#<cause>`, written once (a replayed step finds it written) and never changed —
 * a later decision is a later period.
 */
export function benefitPeriodPut(period: BenefitPeriod) {
  return {
    Put: {
      TableName: table(),
      Item: { pk: `CASE#${period.caseId}`, sk: `BENEFIT#${period.decidedAt}#${period.cause}`, ...period },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export async function recordBenefitPeriod(period: BenefitPeriod): Promise<void> {
  try {
    await dynamo().send(new PutCommand(benefitPeriodPut(period).Put));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** A case's benefit periods, in the order they were decided. */
export async function benefitPeriods(caseId: string): Promise<BenefitPeriod[]> {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :benefit)',
    ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':benefit': 'BENEFIT#' },
    ConsistentRead: true,
  });
  return items.map((item) => strip(item) as unknown as BenefitPeriod);
}
