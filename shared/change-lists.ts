/**
 * 增减变动名单: for a department and a region, the people whose special assistance from that department
 * started (新增), changed (变更: one item ended and another began, as with a change of tier) or ended
 * (减少) in a month — read from the month's demands (`shared/demands.ts`), so that 医保 subsidises the
 * premium of exactly the people the register says, from the month it says. Written as a CSV file into
 * the `DepartmentFiles` bucket (`change-lists/<department>/<regionCode>/<month>.csv`): by the hourly
 * `dropChangeLists` for every county and department that had demands, once the month is over, and on
 * request (`GET /register/changes`) for any month, the current one as it stands.
 *
 * | entity        | pk                  | sk                          |
 * |---------------|---------------------|-----------------------------|
 * | month marker  | `CHANGES#<month>`   | `<department>#<regionCode>` |
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { appendAudit } from './audit.ts';
import { dynamo, s3 } from './clients.ts';
import { requiredEnv } from './config.ts';
import { csvDocument } from './csv.ts';
import { type DemandRecord, demandPerson, listDemands } from './demands.ts';
import type { Actor } from './domain/cases.ts';
import { maskIdNumber } from './domain/id-number.ts';
import { addMonthsToMonth, chinaMonth } from './domain/lifecycle.ts';
import { specialItemLabels, specialItems } from './domain/special-assistance.ts';
import { queryAll } from './dynamo.ts';
import { logger } from './logger.ts';
import { type Department, departmentLabels } from './monitoring/vocabulary.ts';
import { casesTable, departmentFilesBucket } from './resources.ts';
import { tierLabels } from './rules/classify.ts';

const table = () => requiredEnv(casesTable.env);
/** How long a download link lives. */
export const CHANGE_LIST_LINK_SECONDS = 300;

export const changeKinds = ['entered', 'changed', 'left'] as const;
export type ChangeKind = (typeof changeKinds)[number];
export const changeKindLabels: Record<ChangeKind, string> = {
  entered: '新增',
  changed: '变更',
  left: '减少',
};

export interface ChangeRow {
  change: ChangeKind;
  name: string;
  idNumber: string;
  regionCode: string;
  /** The tier after the month's last decision; null once the benefit ended. */
  tier: string | null;
  started: string[];
  ended: string[];
  /** The day of the month's last decision (China time). */
  decidedOn: string;
  caseId: string;
}

type OpenedDemand = DemandRecord & { opened: { name: string; idNumber: string } };

/**
 * Pure: one row per person of the month's demands (a household-wide item counts for the person it was
 * addressed to), by ID number — only items started: 新增; only ended: 减少; both: 变更. In the order of
 * the region codes, then the ID numbers.
 */
export function changeRows(demands: readonly OpenedDemand[]): ChangeRow[] {
  const byPerson = new Map<string, OpenedDemand[]>();
  for (const d of demands) {
    const key = d.opened.idNumber.toUpperCase();
    byPerson.set(key, [...(byPerson.get(key) ?? []), d]);
  }
  return [...byPerson.values()]
    .map((ds) => {
      const last = ds.reduce((a, b) => (b.decidedAt > a.decidedAt ? b : a));
      // In the items' own order, whatever order the demands were written in.
      const labels = (kind: DemandRecord['kind']) =>
        specialItems
          .filter((item) => ds.some((d) => d.kind === kind && d.item === item))
          .map((item) => specialItemLabels[item]);
      const started = labels('start');
      const ended = labels('end');
      return {
        change: (started.length && ended.length
          ? 'changed'
          : started.length
            ? 'entered'
            : 'left') as ChangeKind,
        name: last.opened.name,
        idNumber: last.opened.idNumber,
        regionCode: last.regionCode,
        tier: last.tier,
        started,
        ended,
        decidedOn: new Date(Date.parse(last.decidedAt) + 8 * 3_600_000).toISOString().slice(0, 10),
        caseId: last.caseId,
      };
    })
    .sort((a, b) => a.regionCode.localeCompare(b.regionCode) || a.idNumber.localeCompare(b.idNumber));
}

const tierText = (tier: string | null) =>
  tier ? (tierLabels[tier as keyof typeof tierLabels] ?? tier) : '救助已终止';

/** Pure: the file a department receives (Chinese headings, CSV-injection safe). */
export const changeListCsv = (rows: ChangeRow[]): string =>
  csvDocument<ChangeRow>(
    [
      ['变动类型', (r) => changeKindLabels[r.change]],
      ['姓名', (r) => r.name],
      ['身份证号码', (r) => r.idNumber],
      ['行政区划代码', (r) => r.regionCode],
      ['救助类别', (r) => tierText(r.tier)],
      ['新增项目', (r) => r.started.join('、')],
      ['停止项目', (r) => r.ended.join('、')],
      ['决定日期', (r) => r.decidedOn],
    ],
    rows,
  );

export const changeListKey = (department: Department, regionCode: string, month: string) =>
  `change-lists/${department}/${regionCode}/${month}.csv`;

/** The month's list for a department and region, written to the bucket; answers the rows and the key. */
export async function writeChangeList(department: Department, regionCode: string, month: string) {
  const demands = (await listDemands({ department, regionCode })).filter(
    (d) => chinaMonth(new Date(d.decidedAt)) === month,
  );
  const opened = await Promise.all(demands.map(async (d) => ({ ...d, opened: await demandPerson(d) })));
  const rows = changeRows(opened);
  const key = changeListKey(department, regionCode, month);
  await s3().send(
    new PutObjectCommand({
      Bucket: requiredEnv(departmentFilesBucket.env),
      Key: key,
      Body: changeListCsv(rows),
      ContentType: 'text/csv; charset=utf-8',
    }),
  );
  return { key, rows };
}

/**
 * A department officer's list: written now (the month as it stands, if it is not over), with a
 * five-minute link to the file and the rows masked. The download is recorded on the department's
 * chain for the region (`changes-<department>-<regionCode>`), as it holds full ID numbers.
 */
export async function changeListFor(department: Department, regionCode: string, month: string, by: Actor) {
  const { key, rows } = await writeChangeList(department, regionCode, month);
  const at = new Date();
  await appendAudit(`changes-${department}-${regionCode}`, {
    key: `changeList.downloaded#${month}#${by.subject}#${at.toISOString()}`,
    actor: by,
    action: 'changeList.downloaded',
    summary: `${departmentLabels[department]}下载${regionCode} ${month}增减变动名单（${rows.length}人）`,
    refs: { month },
  });
  const fileName = `${departmentLabels[department]}-${regionCode}-${month}-增减变动名单.csv`;
  const url = await getSignedUrl(
    s3(),
    new GetObjectCommand({
      Bucket: requiredEnv(departmentFilesBucket.env),
      Key: key,
      ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    }),
    { expiresIn: CHANGE_LIST_LINK_SECONDS },
  );
  const counts = Object.fromEntries(changeKinds.map((k) => [k, rows.filter((r) => r.change === k).length]));
  return {
    department,
    departmentLabel: departmentLabels[department],
    regionCode,
    month,
    final: month < chinaMonth(at),
    counts: counts as Record<ChangeKind, number>,
    rows: rows.map(({ name: _n, idNumber, caseId: _c, ...r }) => ({
      ...r,
      changeLabel: changeKindLabels[r.change],
      tierLabel: tierText(r.tier),
      subject: maskIdNumber(idNumber),
    })),
    url,
    expiresAt: new Date(at.getTime() + CHANGE_LIST_LINK_SECONDS * 1000).toISOString(),
  };
}

/**
 * Hourly: once a month is over, every county and department that had demands in it gets its file
 * (each written once: a marker records it).
 */
export async function dropChangeLists(): Promise<{ month: string; dropped: number }> {
  const month = addMonthsToMonth(chinaMonth(new Date()), -1);
  const marks = await queryAll(dynamo(), {
    TableName: table(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': `CHANGES#${month}` },
    ConsistentRead: true,
  });
  let dropped = 0;
  for (const m of marks) {
    if (m.droppedAt) continue;
    const { rows } = await writeChangeList(m.department as Department, m.regionCode as string, month);
    await dynamo().send(
      new PutCommand({
        TableName: table(),
        Item: { ...m, droppedAt: new Date().toISOString(), people: rows.length },
      }),
    );
    dropped++;
  }
  if (dropped) logger.info('change lists dropped', { month, dropped });
  return { month, dropped };
}
