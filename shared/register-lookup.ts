/**
 * 结果互认 (社会救助法第四十二条第二款): a department looks up whether people are in the low-income
 * population — the tier, since when and until when, and the special assistance that is its own
 * business (`shared/special-assistance.ts`) — instead of testing their means again. Nothing else is
 * answered (no income, no other department's items), and a person outside the region asked about is
 * answered exactly as one not on the register. Every look-up is kept (who, when, why, and the people
 * by the blind index of their ID numbers) for the auditors.
 *
 * | entity  | pk                   | sk       | gsi1pk / gsi1sk                                  |
 * |---------|----------------------|----------|--------------------------------------------------|
 * | look-up | `LOOKUP#<lookupId>`  | `LOOKUP` | `LOOKUPS#<province>` / `<regionCode>#<at>#<id>`  |
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { covers } from './auth.ts';
import { dynamo } from './clients.ts';
import { requiredEnv } from './config.ts';
import { blindIndexes } from './crypto.ts';
import type { Actor } from './domain/cases.ts';
import { maskIdNumber } from './domain/id-number.ts';
import { newId } from './domain/ids.ts';
import { specialItemLabels } from './domain/special-assistance.ts';
import {
  type RegisterStatus,
  type RegisterTier,
  registerStatusLabels,
  registerTierLabels,
} from './monitoring/indicators.ts';
import type { Department } from './monitoring/vocabulary.ts';
import * as lifecycle from './repositories/lifecycle.ts';
import { queryByProvince } from './repositories/monitoring.ts';
import { householdOf, lookupPersons } from './repositories/register.ts';
import { casesTable } from './resources.ts';
import { specialRecords } from './special-assistance.ts';

const table = () => requiredEnv(casesTable.env);

/** Statuses of the low-income population (低收入人口): in assistance, easing out, or watched after it. */
const IN_POPULATION: readonly RegisterStatus[] = ['active', 'gradualExit', 'monitoring'];

export interface LookupAnswer {
  position: number;
  idNumber: string;
  inLowIncomePopulation: boolean;
  tier?: RegisterTier;
  tierLabel?: string;
  status?: RegisterStatus;
  statusLabel?: string;
  /** The determination the tier rests on, and the next recheck it holds until (cases of this system). */
  since?: string | null;
  until?: string | null;
  /** The special assistance the asking department delivers to this person (or their household). */
  items?: Array<{ item: string; itemLabel: string; benefit: string }>;
}

export interface LookupRecord {
  lookupId: string;
  at: string;
  by: Actor;
  department: Department;
  regionCode: string;
  purpose: string;
  count: number;
  found: number;
  /** Blind indexes of the ID numbers looked up: who was looked up, never the numbers. */
  people: string[];
}

/** A case as a look-up reads it: its item, its current special assistance, its household as last declared. */
async function readCase(caseId: string) {
  const [item, records] = await Promise.all([lifecycle.getCaseItem(caseId), specialRecords(caseId)]);
  const current = records.at(-1);
  const household = item && current?.items.length ? (await householdOf(item))?.declaration : undefined;
  return { item, current, household };
}

/** The department's items for one person of a case: by the person's place in the household as last declared. */
function itemsFor(read: Awaited<ReturnType<typeof readCase>>, idNumber: string, department: Department) {
  const member =
    read.household?.members.findIndex((m) => m.idNumber.toUpperCase() === idNumber.toUpperCase()) ?? -1;
  return (read.current?.items ?? [])
    .filter((g) => g.department === department && (g.member === null || g.member === member))
    .map((g) => ({ item: g.item, itemLabel: specialItemLabels[g.item], benefit: g.benefit }));
}

/**
 * Answers a department's look-up of `idNumbers` (valid, at most 1,000) in `regionCode`, by position,
 * and records it. The caller's jurisdiction over `regionCode` is checked before.
 */
export async function lookUp(
  request: { regionCode: string; purpose: string; idNumbers: readonly string[] },
  by: Actor & { department: Department },
): Promise<{ lookup: LookupRecord; results: LookupAnswer[] }> {
  const indexes = await Promise.all(request.idNumbers.map((id) => blindIndexes(id)));
  const entries = await lookupPersons(indexes);
  // A household's members are often looked up together: each case is read once a look-up.
  const cases = new Map<string, ReturnType<typeof readCase>>();
  const caseOf = (caseId: string) => {
    let read = cases.get(caseId);
    if (!read) {
      read = readCase(caseId);
      cases.set(caseId, read);
    }
    return read;
  };
  const results: LookupAnswer[] = [];
  // A few people at a time: those on a case read its items.
  for (let i = 0; i < request.idNumbers.length; i += 16) {
    const chunk = await Promise.all(
      request.idNumbers.slice(i, i + 16).map(async (idNumber, j): Promise<LookupAnswer> => {
        const position = i + j;
        const entry = entries.get(indexes[position]![0]!);
        const answer = { position, idNumber: maskIdNumber(idNumber) };
        if (!entry || !covers(request.regionCode, entry.regionCode) || !IN_POPULATION.includes(entry.status))
          return { ...answer, inLowIncomePopulation: false };
        const read = entry.caseId ? await caseOf(entry.caseId) : undefined;
        return {
          ...answer,
          inLowIncomePopulation: true,
          tier: entry.tier,
          tierLabel: registerTierLabels[entry.tier],
          status: entry.status,
          statusLabel: registerStatusLabels[entry.status],
          since: read?.item?.determinedAt ?? null,
          until: read?.item?.nextRecheckDue ?? null,
          items: read ? itemsFor(read, idNumber, by.department) : [],
        };
      }),
    );
    results.push(...chunk);
  }
  const at = new Date().toISOString();
  const lookup: LookupRecord = {
    lookupId: newId('lookup', new Date(at)),
    at,
    by: { subject: by.subject, name: by.name, role: by.role },
    department: by.department,
    regionCode: request.regionCode,
    purpose: request.purpose,
    count: results.length,
    found: results.filter((r) => r.inLowIncomePopulation).length,
    people: [...new Set(indexes.map(([newest]) => newest!))],
  };
  await dynamo().send(
    new PutCommand({
      TableName: table(),
      Item: {
        pk: `LOOKUP#${lookup.lookupId}`,
        sk: 'LOOKUP',
        gsi1pk: `LOOKUPS#${request.regionCode.slice(0, 2)}`,
        gsi1sk: `${request.regionCode}#${at}#${lookup.lookupId}`,
        ...lookup,
      },
    }),
  );
  return { lookup, results };
}

/** The look-ups of a region (a province's or city's code covers its counties), newest first. */
export async function listLookups(regionCode: string): Promise<LookupRecord[]> {
  // National auditors (000000) read every province's.
  const items = await queryByProvince('LOOKUPS#', regionCode);
  return items
    .map(({ pk: _p, sk: _s, gsi1pk: _g, gsi1sk: _h, ...rest }) => rest as unknown as LookupRecord)
    .sort((a, b) => b.at.localeCompare(a.at));
}
