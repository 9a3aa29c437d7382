/**
 * How each member of staff is alerted to work messages. An office's work messages go to its groups
 * through the group robots configured for it (`shared/notify/config.ts`): that is the office's
 * business, and every message is posted whatever anyone chose. What a person chooses is whether the
 * message @-mentions them — on 政务钉钉, on 企业微信, or nowhere (仅在系统收件箱查看) — which is what
 * makes a group message reach a phone as a personal alert. They give their account id on that
 * platform (钉钉 userId, 企业微信 userid); the robots @ by it (`at.atUserIds`, `mentioned_list`).
 *
 * Items: the choice, `pk=STAFF#<subject>` / `sk=WORKCHANNEL`, with the regions it was indexed under;
 * and an index item for each region the person serves, `pk=WORKCHANNEL#<regionCode>` / `sk=<subject>`,
 * so a message to an office reads the few small partitions of the codes that cover it rather than
 * every staff record. An administrator's later change of someone's regions or role, or a revocation,
 * does not touch the index: each person found is checked against their staff record before they are
 * mentioned. Each choice is an entry on the person's chain (`staff-<subject>`).
 */
import { BatchGetCommand, type BatchGetCommandOutput, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditedWrite, AuditedWriteConflictError, appendAudit } from '../audit.ts';
import { actor, covers, type Principal, type Role } from '../auth.ts';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { batchWriteAll, queryAll } from '../dynamo.ts';
import { ConflictError } from '../errors.ts';
import { casesTable } from '../resources.ts';
import { workChannelLabels, type workChannels } from '../schemas/staff.ts';
import { type StaffRecord, staffChain } from '../staff.ts';

const table = () => requiredEnv(casesTable.env);
const CHOICE = (subject: string) => ({ pk: `STAFF#${subject}`, sk: 'WORKCHANNEL' });
const INDEX = (regionCode: string, subject: string) => ({ pk: `WORKCHANNEL#${regionCode}`, sk: subject });

export type WorkChannel = (typeof workChannels)[number];

export interface WorkChannelChoice {
  channel: WorkChannel;
  account: string | null;
  updatedAt: string | null;
}

interface StoredChoice {
  channel: WorkChannel;
  account?: string;
  /** The regions the choice is indexed under: those the person served when they made it. */
  regionCodes: string[];
  version: number;
  updatedAt: string;
}

async function storedChoice(subject: string): Promise<StoredChoice | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: CHOICE(subject), ConsistentRead: true }),
  );
  return Item as StoredChoice | undefined;
}

/** A person's choice; never chosen: the inbox alone. */
export async function workChannelOf(subject: string): Promise<WorkChannelChoice> {
  const stored = await storedChoice(subject);
  return {
    channel: stored?.channel ?? 'inbox',
    account: stored?.account ?? null,
    updatedAt: stored?.updatedAt ?? null,
  };
}

/** Records a person's choice for every region they serve now, and drops it from those they no longer do. */
export async function setWorkChannel(
  principal: Principal,
  choice: { channel: WorkChannel; account?: string | undefined },
): Promise<WorkChannelChoice> {
  const previous = await storedChoice(principal.subject);
  const account = choice.channel === 'inbox' ? undefined : choice.account;
  if (
    previous &&
    previous.channel === choice.channel &&
    previous.account === account &&
    previous.regionCodes.join() === principal.regionCodes.join()
  )
    return { channel: previous.channel, account: previous.account ?? null, updatedAt: previous.updatedAt };
  const updatedAt = new Date().toISOString();
  const stored: StoredChoice = {
    channel: choice.channel,
    ...(account ? { account } : {}),
    regionCodes: principal.regionCodes,
    version: (previous?.version ?? 0) + 1,
    updatedAt,
  };
  // The index items of the regions no longer served (or all, for the inbox): in the transaction when
  // it has room (100 items), else after it — a left-over one names a region its person no longer
  // serves, and `mentionsFor` checks that before it mentions anyone.
  const dropped = (previous?.regionCodes ?? [])
    .filter((code) => !account || !principal.regionCodes.includes(code))
    .map((code) => ({ Delete: { TableName: table(), Key: INDEX(code, principal.subject) } }));
  const writes: AuditedWrite[] = [
    {
      Put: {
        TableName: table(),
        Item: { ...CHOICE(principal.subject), ...stored },
        ...(previous
          ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': previous.version } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    },
    // Only the alerting platforms are indexed: "inbox" is the absence of a mention.
    ...(account
      ? principal.regionCodes.map((code) => ({
          Put: {
            TableName: table(),
            Item: { ...INDEX(code, principal.subject), channel: choice.channel, account },
          },
        }))
      : []),
  ];
  const later = writes.length + dropped.length + 2 > 100 ? dropped : [];
  if (!later.length) writes.push(...dropped);
  try {
    await appendAudit(
      staffChain(principal.subject),
      {
        key: `staff.workChannel:${stored.version}`,
        actor: actor(principal),
        action: 'staff.workChannel',
        summary: `工作消息提醒方式设为：${workChannelLabels[choice.channel]}`,
        refs: { subject: principal.subject, channel: choice.channel },
      },
      writes,
    );
  } catch (error) {
    if (error instanceof AuditedWriteConflictError)
      throw new ConflictError('提醒方式刚被另一次设置变更，请刷新后重试');
    throw error;
  }
  await batchWriteAll(
    dynamo(),
    table(),
    later.map(({ Delete }) => ({ DeleteRequest: { Key: Delete.Key } })),
  );
  return { channel: stored.channel, account: account ?? null, updatedAt };
}

/** The codes whose servants serve `regionCode`: its own, its city's, its province's. */
const coveringCodes = (regionCode: string) => [
  ...new Set([regionCode, `${regionCode.slice(0, 4)}00`, `${regionCode.slice(0, 2)}0000`]),
];

/**
 * Whom a work message to `office` mentions on each platform: the account ids of the staff with one
 * of `roles` who serve the office (per their staff record, now) and chose that platform.
 */
export async function mentionsFor(
  office: string,
  roles: readonly Role[],
): Promise<Partial<Record<Exclude<WorkChannel, 'inbox'>, string[]>>> {
  const found = new Map<string, { channel: Exclude<WorkChannel, 'inbox'>; account: string }>();
  for (const code of coveringCodes(office))
    for (const item of await queryAll(dynamo(), {
      TableName: table(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `WORKCHANNEL#${code}` },
    }))
      found.set(item.sk as string, {
        channel: item.channel as Exclude<WorkChannel, 'inbox'>,
        account: item.account as string,
      });
  if (!found.size) return {};
  const subjects = [...found.keys()];
  const records: StaffRecord[] = [];
  for (let i = 0; i < subjects.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = subjects
      .slice(i, i + 100)
      .map((s) => ({ pk: `STAFF#${s}`, sk: 'STAFF' }));
    while (keys?.length) {
      const out: BatchGetCommandOutput = await dynamo().send(
        new BatchGetCommand({ RequestItems: { [table()]: { Keys: keys } } }),
      );
      records.push(...((out.Responses?.[table()] ?? []) as unknown as StaffRecord[]));
      keys = out.UnprocessedKeys?.[table()]?.Keys;
    }
  }
  const mentions: Partial<Record<Exclude<WorkChannel, 'inbox'>, string[]>> = {};
  for (const record of records) {
    const serves =
      record.status === 'active' &&
      roles.includes(record.role) &&
      record.regionCodes.some((served) => covers(served, office));
    const choice = found.get(record.subject);
    if (serves && choice) mentions[choice.channel] = [...(mentions[choice.channel] ?? []), choice.account];
  }
  for (const list of Object.values(mentions)) list.sort();
  return mentions;
}
