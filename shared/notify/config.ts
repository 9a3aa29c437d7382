/**
 * Where messages go: the SMS gateway, each office's work-message robots, the quiet hours and the
 * pages' address — configuration, never code, and holding secrets (the gateway's signing secret, the
 * robots' signing secrets and keys), so kept in Secrets Manager on AWS (`NOTIFY_SECRET_ARN`, one JSON
 * secret; docs/deploy.md) and in a file locally (`NOTIFY_CONFIG_FILE`, written by the local runtime
 * to point at its outbox). Read once per container, again after five minutes, so a changed secret
 * takes effect without a deployment.
 */
import { readFileSync, statSync } from 'node:fs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { chinaDate } from '../domain/dates.ts';
import type { RobotConfig } from './channels.ts';
import { templateIds } from './templates.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: '时间应为 HH:MM' });
const robot = z.object({
  channel: z.enum(['dingtalk', 'wecom']),
  url: z.url(),
  secret: z.string().min(1).optional(),
  timeoutMs: z.number().int().positive().optional(),
});
const byRegion = z.record(z.string().regex(/^\d{6}$/), z.array(robot).min(1));

export const notifyConfig = z.object({
  /** The pages' base URL, for the link each message carries. */
  pageBaseUrl: z.url(),
  sms: z
    .object({
      endpoint: z.url(),
      secret: z.string().min(16),
      /** Our template id → the gateway's (templates are registered with the carrier in advance). */
      templates: z
        .record(z.string(), z.string().min(1))
        .refine((t) => Object.keys(t).every((k) => (templateIds as string[]).includes(k)), {
          error: `模板只能是 ${templateIds.join('、')}`,
        }),
      timeoutMs: z.number().int().positive().optional(),
    })
    .nullable(),
  /** Each office's group robots for its caseworkers, by region code (a county's serve its townships). */
  caseworkers: byRegion.default({}),
  /** The supervisors' group robots (督办), by region code alike. */
  supervisors: byRegion.default({}),
  /** Non-urgent messages wait out these hours (China time); `from` > `to` spans midnight. */
  quietHours: z.object({ from: hhmm, to: hhmm }).nullable().default({ from: '21:00', to: '08:00' }),
});
export type NotifyConfig = z.infer<typeof notifyConfig>;

const CACHE_MS = 5 * 60_000;
let cached: { source: string; at: number; config: Promise<NotifyConfig> } | undefined;

async function read(source: string): Promise<NotifyConfig> {
  const text = source.startsWith('file:')
    ? readFileSync(source.slice(5), 'utf8')
    : ((await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: source.slice(7) })))
        .SecretString ?? '');
  const parsed = notifyConfig.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(
      `notification configuration refused: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** The configuration, or undefined where none is set (nothing is sent; the deliveries wait in the queue). */
export function loadNotifyConfig(): Promise<NotifyConfig> | undefined {
  const arn = process.env.NOTIFY_SECRET_ARN;
  const file = process.env.NOTIFY_CONFIG_FILE;
  const source = arn ? `secret:${arn}` : file ? `file:${file}` : undefined;
  if (!source) return undefined;
  // A rewritten file (the local runtime's, once the pages' address is known) is read again.
  const version = file && !arn ? `${source}@${statSync(file).mtimeMs}` : source;
  const now = Date.now();
  if (!cached || cached.source !== version || now - cached.at > CACHE_MS) {
    const config = read(source);
    config.catch(() => {
      if (cached?.config === config) cached = undefined;
    });
    cached = { source: version, at: now, config };
  }
  return cached.config;
}

/** An office's robots: its own, else its city's, else its province's (region codes are nested), else the national ones (`000000`). */
export function robotsFor(table: Record<string, RobotConfig[]>, regionCode: string): RobotConfig[] {
  for (const code of [regionCode, `${regionCode.slice(0, 4)}00`, `${regionCode.slice(0, 2)}0000`, '000000'])
    if (table[code]?.length) return table[code]!;
  return [];
}

/**
 * When a non-urgent message may go out at `now`: now, outside the quiet hours; else their end (an
 * ISO instant), China time.
 */
export function outsideQuietHours(config: NotifyConfig, now: Date): string | undefined {
  const quiet = config.quietHours;
  if (!quiet) return undefined;
  const china = new Date(now.getTime() + 8 * 3_600_000);
  const minutes = china.getUTCHours() * 60 + china.getUTCMinutes();
  const [from, to] = [quiet.from, quiet.to].map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3)));
  const inQuiet = from! > to! ? minutes >= from! || minutes < to! : minutes >= from! && minutes < to!;
  if (!inQuiet) return undefined;
  const today = chinaDate(now);
  // The end of the quiet hours: today's `to` if still ahead, else tomorrow's.
  let end = Date.parse(`${today}T${quiet.to}:00+08:00`);
  if (end <= now.getTime()) end += 86_400_000;
  return new Date(end).toISOString();
}
