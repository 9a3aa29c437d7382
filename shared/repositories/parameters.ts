/**
 * Means-test parameters and holiday arrangements as loaded by administrators, kept beside the
 * shipped sample data. Versions are never overwritten: a version id (region, residence, effective
 * date) is written once, and decisions cite it. An administrator's version replaces a shipped sample
 * version of the same id, since sample values exist only until real ones are loaded.
 */

import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { covers } from '../auth.ts';
import { type AnnualArrangement, type CalendarRemoval, WorkingDayCalendar } from '../calendar/index.ts';
import { dynamo, onClientsReset } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { queryAll } from '../dynamo.ts';
import {
  type ParameterName,
  type ParameterSet,
  ParametersNotFoundError,
  type ParameterVersion,
  ParameterVersionConflictError,
  type Residence,
  regionLineage,
  resolveParameters,
  sampleParameterVersions,
  versionId,
} from '../parameters/index.ts';
import { casesTable } from '../resources.ts';

const table = () => requiredEnv(casesTable.env);

const queryPk = (pk: string) =>
  queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk },
  });

const CACHE_MS = 60_000;
const uploadCaches: Array<() => void> = [];
/** Called after every upload this process makes: its next read is fresh. */
const forgetUploads = (): void => {
  for (const clear of uploadCaches) clear();
};
// Another runtime's tables (a restarted local runtime) hold other uploads.
onClientsReset(forgetUploads);

/**
 * What administrators load (parameter versions, holiday arrangements), read once a minute per
 * process — a determination alone resolves its region's parameters four times, each three queries —
 * and forgotten at once by the process that loads something new; another process sees it within the
 * minute. The promise is kept, so callers at the same moment share one read; a failed read is not.
 */
function perMinute<V>(load: (key: string) => Promise<V>) {
  const entries = new Map<string, { at: number; value: Promise<V> }>();
  uploadCaches.push(() => entries.clear());
  return (key: string): Promise<V> => {
    const hit = entries.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const value = load(key);
    entries.set(key, { at: Date.now(), value });
    value.catch(() => entries.get(key)?.value === value && entries.delete(key));
    return value;
  };
}

const versionsOf = perMinute(async (code) =>
  (await queryPk(`PARAMS#${code}`)).map((item) => item.version as ParameterVersion),
);

/** The versions loaded for a region's lineage, read afresh (an upload checks against these). */
export async function loadedParameterVersions(regionCode: string): Promise<ParameterVersion[]> {
  const pages = await Promise.all(regionLineage(regionCode).map((code) => queryPk(`PARAMS#${code}`)));
  return pages.flat().map((item) => item.version as ParameterVersion);
}

/** The parameters in force for a region and residence on a date: loaded versions over sample data. */
export async function parametersFor(
  regionCode: string,
  residence: Residence,
  asOf: string,
): Promise<ParameterSet> {
  const loaded = (await Promise.all(regionLineage(regionCode).map(versionsOf))).flat();
  const loadedIds = new Set(loaded.map(versionId));
  const versions = [...sampleParameterVersions.filter((v) => !loadedIds.has(versionId(v))), ...loaded];
  return resolveParameters(versions, regionCode, residence, asOf);
}

/** A region left without a parameter on a date, as a version would leave it. */
export interface Unresolvable {
  regionCode: string;
  residence: Residence;
  asOf: string;
  missing: ParameterName[];
}

/** A region whose small-amount limit a version would set above its province's ceiling. */
export interface AboveCeiling {
  regionCode: string;
  residence: Residence;
  asOf: string;
  emergencySmallAmount: number;
  emergencySmallAmountCeiling: number;
}

/**
 * What `version` would do to the regions under it, on its effective date and every later date a
 * version of the same lineage takes effect: where it leaves the parameters unresolvable — a version
 * replaces its level whole, so one that leaves out a value the levels below do not set takes it from
 * every case under it — and where it puts the small-amount limit of 先行救助 above the province's
 * ceiling. Its own region stands for every county under it without versions of their own (more
 * levels only add values), and the regions of the sample and loaded data under it are each checked
 * as well. A region already unresolvable before the version counts too: loading a version there says
 * the region is in use.
 */
export async function versionEffects(
  version: ParameterVersion,
): Promise<{ unresolvable: Unresolvable[]; aboveCeiling: AboveCeiling[] }> {
  const id = versionId(version);
  const regions = [
    ...new Set([
      version.regionCode,
      ...sampleParameterVersions.map((v) => v.regionCode).filter((code) => covers(version.regionCode, code)),
    ]),
  ];
  const unresolvable: Unresolvable[] = [];
  const aboveCeiling: AboveCeiling[] = [];
  for (const regionCode of regions) {
    const loaded = await loadedParameterVersions(regionCode);
    const replaced = new Set([...loaded.map(versionId), id]);
    const versions = [
      ...sampleParameterVersions.filter((v) => !replaced.has(versionId(v))),
      ...loaded.filter((v) => versionId(v) !== id),
      version,
    ].filter((v) => v.residence === version.residence);
    const lineage = regionLineage(regionCode);
    const dates = [
      ...new Set([
        version.effectiveFrom,
        ...versions
          .filter((v) => lineage.includes(v.regionCode) && v.effectiveFrom > version.effectiveFrom)
          .map((v) => v.effectiveFrom),
      ]),
    ].sort();
    let above = false;
    for (const asOf of dates) {
      try {
        const p = resolveParameters(versions, regionCode, version.residence, asOf);
        if (!above && p.emergencySmallAmount > p.emergencySmallAmountCeiling) {
          above = true;
          aboveCeiling.push({
            regionCode,
            residence: version.residence,
            asOf,
            emergencySmallAmount: p.emergencySmallAmount,
            emergencySmallAmountCeiling: p.emergencySmallAmountCeiling,
          });
        }
      } catch (error) {
        if (!(error instanceof ParametersNotFoundError)) throw error;
        unresolvable.push({ regionCode, residence: version.residence, asOf, missing: error.missing });
        break;
      }
    }
  }
  return { unresolvable, aboveCeiling };
}

const parameterItem = (version: ParameterVersion, loadedBy: string, confirmedBy?: string) => ({
  pk: `PARAMS#${version.regionCode}`,
  sk: `${version.residence}#${version.effectiveFrom}`,
  versionId: versionId(version),
  version,
  loadedBy,
  ...(confirmedBy ? { confirmedBy } : {}),
  loadedAt: new Date().toISOString(),
});

export async function putParameterVersion(version: ParameterVersion, loadedBy: string): Promise<string> {
  const id = versionId(version);
  try {
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: parameterItem(version, loadedBy),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    forgetUploads();
    return id;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new ParameterVersionConflictError(id);
    throw error;
  }
}

const calendarItem = (arrangement: AnnualArrangement, loadedBy: string, confirmedBy?: string) => {
  const loadedAt = new Date().toISOString();
  return {
    pk: 'CALENDAR',
    sk: `${arrangement.year}#${loadedAt}`,
    arrangement,
    loadedBy,
    ...(confirmedBy ? { confirmedBy } : {}),
    loadedAt,
  };
};

/** Each upload of a year's arrangement is kept; the latest upload for a year is the one in force. */
export async function putCalendarArrangement(
  arrangement: AnnualArrangement,
  loadedBy: string,
): Promise<void> {
  await dynamo().send(
    new PutCommand({
      TableName: table(),
      Item: calendarItem(arrangement, loadedBy),
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  forgetUploads();
}

/** The year's arrangement in force among those loaded, read afresh (the cached calendar may lag). */
export async function loadedArrangement(year: number): Promise<AnnualArrangement | undefined> {
  const { Items } = await dynamo().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :year)',
      ExpressionAttributeValues: { ':pk': 'CALENDAR', ':year': `${year}#` },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  return Items?.[0]?.arrangement as AnnualArrangement | undefined;
}

// ── the two-person rule ──────────────────────────────────────────────────────────────────────────

/**
 * A load that waits for a second administrator: one per subject (a year's calendar, a parameter
 * version id) — a newer proposal replaces it — confirmed only by someone else loading exactly the
 * same content (its canonical hash).
 */
interface Pending {
  fingerprint: string;
  proposedBy: { subject: string; name: string };
  proposedAt: string;
}

type PendingScope = 'CALENDAR' | 'PARAMS';
const PENDING = (scope: PendingScope, id: string) => ({ pk: `${scope}_PENDING`, sk: id });

async function getPending<T extends Pending>(scope: PendingScope, id: string): Promise<T | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: PENDING(scope, id), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, ...pending } = Item;
  return pending as T;
}

async function putPending(scope: PendingScope, id: string, pending: Pending): Promise<void> {
  await dynamo().send(new PutCommand({ TableName: table(), Item: { ...PENDING(scope, id), ...pending } }));
}

/**
 * Writes what was pending on a second administrator's confirmation and removes it from pending in the
 * same transaction; false if it was meanwhile replaced, confirmed by someone else, or (a parameter
 * version) loaded under the same id.
 */
async function confirmPending(
  scope: PendingScope,
  id: string,
  pending: Pending,
  item: Record<string, unknown>,
): Promise<boolean> {
  try {
    await dynamo().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: table(),
              Key: PENDING(scope, id),
              ConditionExpression: 'fingerprint = :f AND proposedAt = :at',
              ExpressionAttributeValues: { ':f': pending.fingerprint, ':at': pending.proposedAt },
            },
          },
          { Put: { TableName: table(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
    forgetUploads();
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException) return false;
    throw error;
  }
}

/** Who proposed a pending load, as the confirmed load records it. */
const proposer = (pending: Pending) => `${pending.proposedBy.name}（${pending.proposedBy.subject}）`;

/** A calendar load that waits for a second national administrator. */
export interface PendingCalendar extends Pending {
  year: number;
  arrangement: AnnualArrangement;
  removal: CalendarRemoval;
}

export const pendingCalendar = (year: number) => getPending<PendingCalendar>('CALENDAR', String(year));
export const proposeCalendar = (pending: PendingCalendar) =>
  putPending('CALENDAR', String(pending.year), pending);

export const confirmCalendar = (pending: PendingCalendar, confirmedBy: string) =>
  confirmPending(
    'CALENDAR',
    String(pending.year),
    pending,
    calendarItem(pending.arrangement, proposer(pending), confirmedBy),
  );

/** A parameter version above a province's ceiling that waits for a second, provincial administrator. */
export interface PendingParameterVersion extends Pending {
  version: ParameterVersion;
  aboveCeiling: AboveCeiling[];
}

export const pendingParameterVersion = (id: string) => getPending<PendingParameterVersion>('PARAMS', id);
export const proposeParameterVersion = (pending: PendingParameterVersion) =>
  putPending('PARAMS', versionId(pending.version), pending);
export const confirmParameterVersion = (pending: PendingParameterVersion, confirmedBy: string) =>
  confirmPending(
    'PARAMS',
    versionId(pending.version),
    pending,
    parameterItem(pending.version, proposer(pending), confirmedBy),
  );

const calendarOf = perMinute(async (pk) => {
  const items = await queryPk(pk);
  // Sort keys are `<year>#<loadedAt>`: in order, so a later upload for a year replaces an earlier one.
  const arrangements = items
    .sort((a, b) => String(a.sk).localeCompare(String(b.sk)))
    .map((i) => i.arrangement as AnnualArrangement);
  return new WorkingDayCalendar(arrangements);
});

/** The working-day calendar with every loaded arrangement, read once a minute per process. */
export const calendar = (): Promise<WorkingDayCalendar> => calendarOf('CALENDAR');
