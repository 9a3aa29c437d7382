/**
 * 近亲属备案: caseworkers and officers declare their close relatives, and a task about a household
 * that includes one is never offered to them; whoever decides it, the decision names who stood
 * aside (docs/architecture.md §1, anti 人情保/关系保). Village/community committee members' relatives
 * are declared too (57号 第十一条), through their township: such a household is registered
 * separately and the county checks it at home before deciding.
 *
 * Items: `STAFF#<subject>` / `RELATIVE#<declaredAt>#<n>` — each relative as declared, the ID number
 * sealed; and `RELATIVE#<blind index>` / `STAFF#<subject>` — the index by which a household's members
 * are matched without any ID number in clear. A task carries its household's member indexes.
 * Committee members' declarations: `VILLAGE#<regionCode>` / `RELATIVE#<declaredAt>#<n>`, indexed as
 * `RELATIVE#<blind index>` / `VILLAGE#<regionCode>#<declaredAt>#<n>`.
 */
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { blindIndexes, fieldCipher } from '../crypto.ts';
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

/**
 * The blind indexes of a household's members, as a task carries them: under every key of the ring,
 * so a relative declared before or after a rotation is matched alike.
 */
export const memberIndexes = async (members: ReadonlyArray<{ idNumber: string }>): Promise<string[]> =>
  (await Promise.all(members.map((m) => blindIndexes(m.idNumber)))).flat();

type DeclarationPut = { Put: { TableName: string; Item: Record<string, unknown> } };

/**
 * A declaration's writes, each relative's together (its record and its index under every key): all
 * in one transaction while they fit — 50 relatives, the most a request may declare, do while the
 * ring holds one key — else in transactions of whole relatives, so none is ever half declared.
 */
async function writeDeclarations(relatives: DeclarationPut[][]): Promise<void> {
  let batch: DeclarationPut[] = [];
  for (const writes of relatives) {
    if (batch.length + writes.length > 100) {
      await dynamo().send(new TransactWriteCommand({ TransactItems: batch }));
      batch = [];
    }
    batch.push(...writes);
  }
  if (batch.length) await dynamo().send(new TransactWriteCommand({ TransactItems: batch }));
}

/** Records the relatives a staff member declares; a declaration is kept, never replaced. */
export async function declareRelatives(
  staff: { subject: string; name: string },
  relatives: ReadonlyArray<{ name: string; idNumber: string; relation: Relation }>,
): Promise<DeclaredRelative[]> {
  const declaredAt = new Date().toISOString();
  const cipher = fieldCipher();
  const declared: DeclaredRelative[] = [];
  const writes: DeclarationPut[][] = [];
  for (const [n, r] of relatives.entries()) {
    const entry = {
      name: r.name,
      idNumberMasked: maskIdNumber(r.idNumber),
      relation: r.relation,
      declaredAt,
    };
    declared.push(entry);
    const indexes = await blindIndexes(r.idNumber);
    writes.push([
      {
        Put: {
          TableName: table(),
          Item: {
            pk: `STAFF#${staff.subject}`,
            sk: `RELATIVE#${declaredAt}#${n}`,
            ...entry,
            idNumber: await cipher.seal(r.idNumber),
            index: indexes[0],
            indexes,
          },
        },
      },
      ...indexes.map((index) => ({
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
      })),
    ]);
  }
  await writeDeclarations(writes);
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
  // Declared under every key of the ring then; before `indexes` was kept, under the one key.
  return new Set(items.flatMap((i) => (i.indexes as string[] | undefined) ?? [i.index as string]));
}

/** A village/community committee member (村（居）民委员会成员) related to a household's member. */
export interface CommitteeRelation {
  regionCode: string;
  committee: string;
  member: string;
  relation: Relation;
}

/**
 * Everyone declared related to a member of this household, and how: staff who declared them
 * (`STAFF#` entries), and village/community committee members whose declarations the township
 * recorded (`VILLAGE#` entries).
 */
export async function relatedTo(
  indexes: readonly string[],
): Promise<{ staff: StandAside[]; committee: CommitteeRelation[] }> {
  const staff = new Map<string, StandAside>();
  const committee = new Map<string, CommitteeRelation>();
  for (const index of new Set(indexes)) {
    const { Items = [] } = await dynamo().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `RELATIVE#${index}` },
        ConsistentRead: true,
      }),
    );
    for (const item of Items) {
      if (String(item.sk).startsWith('VILLAGE#'))
        committee.set(`${item.regionCode}|${item.committee}|${item.member}`, {
          regionCode: item.regionCode as string,
          committee: item.committee as string,
          member: item.member as string,
          relation: item.relation as Relation,
        });
      else
        staff.set(item.subject as string, {
          subject: item.subject as string,
          name: item.name as string,
          relation: item.relation as Relation,
        });
    }
  }
  return { staff: [...staff.values()], committee: [...committee.values()] };
}

/** Staff who declared a member of this household a relative: they stand aside from its tasks. */
export async function staffRelatedTo(indexes: readonly string[]): Promise<StandAside[]> {
  return (await relatedTo(indexes)).staff;
}

export interface CommitteeDeclaration {
  committee: string;
  member: string;
  position?: string;
  relatives: DeclaredRelative[];
}

/**
 * Records the close relatives a village/community committee member declares (57号 第十一条), as the
 * township that serves the committee takes them down: kept, never replaced, each ID number sealed
 * and matched by its blind index like staff's own declarations.
 */
export async function declareCommitteeRelatives(
  regionCode: string,
  who: { committee: string; member: string; position?: string | undefined },
  relatives: ReadonlyArray<{ name: string; idNumber: string; relation: Relation }>,
  recordedBy: { subject: string; name: string },
): Promise<void> {
  const declaredAt = new Date().toISOString();
  const cipher = fieldCipher();
  const writes: DeclarationPut[][] = [];
  for (const [n, r] of relatives.entries()) {
    const indexes = await blindIndexes(r.idNumber);
    const entry = {
      regionCode,
      committee: who.committee,
      member: who.member,
      ...(who.position ? { position: who.position } : {}),
      relation: r.relation,
      declaredAt,
    };
    writes.push([
      {
        Put: {
          TableName: table(),
          Item: {
            pk: `VILLAGE#${regionCode}`,
            sk: `RELATIVE#${declaredAt}#${n}`,
            ...entry,
            name: r.name,
            idNumberMasked: maskIdNumber(r.idNumber),
            idNumber: await cipher.seal(r.idNumber),
            index: indexes[0],
            indexes,
            recordedBy,
          },
        },
      },
      ...indexes.map((index) => ({
        Put: {
          TableName: table(),
          Item: { pk: `RELATIVE#${index}`, sk: `VILLAGE#${regionCode}#${declaredAt}#${n}`, ...entry },
        },
      })),
    ]);
  }
  await writeDeclarations(writes);
}

/** The committee members' declarations recorded for a township, grouped by member, masked. */
export async function listCommitteeRelatives(regionCode: string): Promise<CommitteeDeclaration[]> {
  const items = await queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :r)',
    ExpressionAttributeValues: { ':pk': `VILLAGE#${regionCode}`, ':r': 'RELATIVE#' },
    ConsistentRead: true,
  });
  const byMember = new Map<string, CommitteeDeclaration>();
  for (const i of items) {
    const key = `${i.committee}|${i.member}`;
    const declaration = byMember.get(key) ?? {
      committee: i.committee as string,
      member: i.member as string,
      ...(i.position ? { position: i.position as string } : {}),
      relatives: [],
    };
    declaration.relatives.push({
      name: i.name as string,
      idNumberMasked: i.idNumberMasked as string,
      relation: i.relation as Relation,
      declaredAt: i.declaredAt as string,
    });
    byMember.set(key, declaration);
  }
  return [...byMember.values()];
}

/** Whether any of a household's members is among a staff member's declared relatives. */
export const involvesRelative = (relatives: Set<string>, members: readonly string[] | undefined): boolean =>
  (members ?? []).some((m) => relatives.has(m));
