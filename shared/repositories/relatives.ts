/**
 * 近亲属备案: caseworkers and officers declare their close relatives, and a task about a household
 * that includes one is never offered to them; whoever decides it, the decision names who stood
 * aside (docs/architecture.md §1, anti 人情保/关系保).
 *
 * Items: `STAFF#<subject>` / `RELATIVE#<declaredAt>#<n>` — each relative as declared, the ID number
 * sealed; and `RELATIVE#<blind index>` / `STAFF#<subject>` — the index by which a household's members
 * are matched without any ID number in clear. A task carries its household's member indexes.
 */
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { blindIndex, fieldCipher } from '../crypto.ts';
import { maskIdNumber } from '../domain/id-number.ts';
import { queryAll } from '../dynamo.ts';
import { casesTable } from '../resources.ts';
import type { Relation } from '../schemas/casework.ts';

const table = () => requiredEnv(casesTable.env);

export interface DeclaredRelative {
  name: string;
  idNumberMasked: string;
  relation: Relation;
  declaredAt: string;
}

export interface StandAside {
  subject: string;
  name: string;
  relation: Relation;
}

/** The blind indexes of a household's members, as a task carries them. */
export const memberIndexes = (members: ReadonlyArray<{ idNumber: string }>): Promise<string[]> =>
  Promise.all(members.map((m) => blindIndex(m.idNumber)));

/** Records the relatives a staff member declares; a declaration is kept, never replaced. */
export async function declareRelatives(
  staff: { subject: string; name: string },
  relatives: ReadonlyArray<{ name: string; idNumber: string; relation: Relation }>,
): Promise<DeclaredRelative[]> {
  const declaredAt = new Date().toISOString();
  const cipher = fieldCipher();
  const declared: DeclaredRelative[] = [];
  const writes = [];
  for (const [n, r] of relatives.entries()) {
    const entry = {
      name: r.name,
      idNumberMasked: maskIdNumber(r.idNumber),
      relation: r.relation,
      declaredAt,
    };
    declared.push(entry);
    const index = await blindIndex(r.idNumber);
    writes.push(
      {
        Put: {
          TableName: table(),
          Item: {
            pk: `STAFF#${staff.subject}`,
            sk: `RELATIVE#${declaredAt}#${n}`,
            ...entry,
            idNumber: await cipher.seal(r.idNumber),
            index,
          },
        },
      },
      {
        Put: {
          TableName: table(),
          Item: {
            pk: `RELATIVE#${index}`,
            sk: `STAFF#${staff.subject}`,
            subject: staff.subject,
            name: staff.name,
            relation: r.relation,
            declaredAt,
          },
        },
      },
    );
  }
  // 100 items a transaction: 50 relatives at once is far more than anyone declares.
  await dynamo().send(new TransactWriteCommand({ TransactItems: writes }));
  return declared;
}

export async function listRelatives(subject: string): Promise<DeclaredRelative[]> {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :r)',
    ExpressionAttributeValues: { ':pk': `STAFF#${subject}`, ':r': 'RELATIVE#' },
    ConsistentRead: true,
  });
  return items.map(({ name, idNumberMasked, relation, declaredAt }) => ({
    name,
    idNumberMasked,
    relation,
    declaredAt,
  })) as DeclaredRelative[];
}

/** The blind indexes of the relatives a staff member declared: one query, for filtering an inbox. */
export async function relativeIndexesOf(subject: string): Promise<Set<string>> {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :r)',
    ExpressionAttributeValues: { ':pk': `STAFF#${subject}`, ':r': 'RELATIVE#' },
    ConsistentRead: true,
  });
  return new Set(items.map((i) => i.index as string));
}

/** Everyone who declared a member of this household a relative, and how they are related. */
export async function staffRelatedTo(indexes: readonly string[]): Promise<StandAside[]> {
  const found = new Map<string, StandAside>();
  for (const index of new Set(indexes)) {
    const { Items = [] } = await dynamo().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `RELATIVE#${index}` },
        ConsistentRead: true,
      }),
    );
    for (const item of Items)
      found.set(item.subject as string, {
        subject: item.subject as string,
        name: item.name as string,
        relation: item.relation as Relation,
      });
  }
  return [...found.values()];
}

/** Whether any of a household's members is among a staff member's declared relatives. */
export const involvesRelative = (relatives: Set<string>, members: readonly string[] | undefined): boolean =>
  (members ?? []).some((m) => relatives.has(m));
