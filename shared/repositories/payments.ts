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
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { auditPayment, paymentSlot } from '../audit.ts';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { fieldCipher } from '../crypto.ts';
import type { BenefitPeriod } from '../domain/entitlements.ts';
import { type MaskedPayeeAccount, maskPayee, type PayeeAccount } from '../domain/payee.ts';
import type { RecoveryOrder } from '../domain/recoveries.ts';
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

// ── 收款账户 ─────────────────────────────────────────────────────────────────────────────────────

/** Who registered the account and when, kept with it and with every earlier one. */
export interface PayeeRegistration {
  changedAt: string;
  changedBy: { subject: string; name: string; role: string };
  reason?: string;
}

/**
 * The household's account now (`sk=PAYEE`, number and name sealed, masked copies beside them), and
 * each registration, the first included, as an append-only history (`sk=PAYEE#<changedAt>`, masked
 * only): a change never erases who paid where before.
 */
export async function putPayeeAccount(
  caseId: string,
  account: PayeeAccount,
  registration: PayeeRegistration,
): Promise<MaskedPayeeAccount> {
  const cipher = fieldCipher();
  const masked = maskPayee(account);
  await dynamo().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: table(),
            Item: {
              pk: `CASE#${caseId}`,
              sk: 'PAYEE',
              ...masked,
              ...registration,
              accountNumber: await cipher.seal(account.accountNumber),
              accountName: await cipher.seal(account.accountName),
            },
          },
        },
        {
          Put: {
            TableName: table(),
            Item: { pk: `CASE#${caseId}`, sk: `PAYEE#${registration.changedAt}`, ...masked, ...registration },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    }),
  );
  return masked;
}

/** The account as every view shows it, with who registered it; undefined when none is registered. */
export async function maskedPayeeAccount(
  caseId: string,
): Promise<(MaskedPayeeAccount & PayeeRegistration) | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: { pk: `CASE#${caseId}`, sk: 'PAYEE' }, ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const { kind, bankName, accountNumberMasked, accountNameMasked, changedAt, changedBy, reason } = Item;
  return {
    kind,
    bankName,
    accountNumberMasked,
    accountNameMasked,
    changedAt,
    changedBy,
    ...(reason ? { reason } : {}),
  };
}

/**
 * The accounts of these cases, opened, for the bank file only: read 100 at a time (BatchGetItem's
 * limit), each opened once. A case without an account is absent from the map.
 */
export async function payeeAccountsOf(caseIds: readonly string[]): Promise<Map<string, PayeeAccount>> {
  const cipher = fieldCipher();
  const accounts = new Map<string, PayeeAccount>();
  for (let i = 0; i < caseIds.length; i += 100) {
    let keys: Array<Record<string, unknown>> = caseIds
      .slice(i, i + 100)
      .map((id) => ({ pk: `CASE#${id}`, sk: 'PAYEE' }));
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt === 8) throw new Error(`payee accounts not read after ${attempt} tries`);
      const { Responses, UnprocessedKeys } = await dynamo().send(
        new BatchGetCommand({ RequestItems: { [table()]: { Keys: keys, ConsistentRead: true } } }),
      );
      await Promise.all(
        (Responses?.[table()] ?? []).map(async (item) => {
          accounts.set(String(item.pk).slice('CASE#'.length), {
            kind: item.kind,
            bankName: item.bankName,
            accountNumber: String(await cipher.open(item.accountNumber)),
            accountName: String(await cipher.open(item.accountName)),
          } as PayeeAccount);
        }),
      );
      keys = (UnprocessedKeys?.[table()]?.Keys ?? []) as Array<Record<string, unknown>>;
      if (keys.length) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
  return accounts;
}

// ── 追回 ─────────────────────────────────────────────────────────────────────────────────────────

const RECOVERY = (caseId: string, recoveryId: string) => ({
  pk: `CASE#${caseId}`,
  sk: `RECOVERY#${recoveryId}`,
});

/** A recovery order, once (`sk=RECOVERY#<recoveryId>`): false when that id is on record already. */
export async function putRecovery(order: RecoveryOrder): Promise<boolean> {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...RECOVERY(order.caseId, order.recoveryId), ...order },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The case's recovery orders, oldest first. */
export async function listRecoveries(caseId: string): Promise<RecoveryOrder[]> {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :r)',
    ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':r': 'RECOVERY#' },
    ConsistentRead: true,
  });
  return items
    .map((i) => {
      // The ids of the repayments recorded, kept as a set for the update's condition only.
      const { repaymentIds: _ids, ...order } = strip(i) as unknown as RecoveryOrder & {
        repaymentIds?: unknown;
      };
      return order as RecoveryOrder;
    })
    .sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
}

/**
 * Takes `amount` off what the order still owes, once per `key` (a roll's deduction, a repayment):
 * `applied` the first time, `same` again, `exceeds` when it owes less.
 */
export async function reduceRecovery(
  caseId: string,
  recoveryId: string,
  entry:
    | { kind: 'deduction'; rollId: string; amount: number }
    | { kind: 'repayment'; repayment: RecoveryOrder['repayments'][number] },
): Promise<'applied' | 'same' | 'exceeds'> {
  const amount = entry.kind === 'deduction' ? entry.amount : entry.repayment.amount;
  const update =
    entry.kind === 'deduction'
      ? {
          UpdateExpression: 'SET outstanding = outstanding - :a, deductions.#key = :a',
          ConditionExpression: 'outstanding >= :a AND attribute_not_exists(deductions.#key)',
          ExpressionAttributeNames: { '#key': entry.rollId },
          ExpressionAttributeValues: { ':a': amount },
        }
      : {
          UpdateExpression: 'SET outstanding = outstanding - :a, repayments = list_append(repayments, :r)',
          ConditionExpression: 'outstanding >= :a AND NOT contains(repaymentIds, :id)',
          ExpressionAttributeValues: {
            ':a': amount,
            ':r': [entry.repayment],
            ':id': entry.repayment.repaymentId,
          },
        };
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: table(),
        Key: RECOVERY(caseId, recoveryId),
        ...update,
        ...(entry.kind === 'repayment'
          ? {
              UpdateExpression: `${update.UpdateExpression} ADD repaymentIds :ids`,
              ExpressionAttributeValues: {
                ...update.ExpressionAttributeValues,
                ':ids': new Set([entry.repayment.repaymentId]),
              },
            }
          : {}),
      }),
    );
    return 'applied';
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: RECOVERY(caseId, recoveryId), ConsistentRead: true }),
  );
  const done =
    entry.kind === 'deduction'
      ? Item?.deductions?.[entry.rollId] !== undefined
      : (Item?.repaymentIds as Set<string> | undefined)?.has(entry.repayment.repaymentId);
  return done ? 'same' : 'exceeds';
}
