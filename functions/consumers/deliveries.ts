/**
 * The `Deliveries` queue's consumer: sends each notification through its channel and records the
 * receipt on the case chain (`shared/notify/deliveries.ts`). Partial batch responses, as the
 * notifications consumer: a transient failure (a gateway's 5xx, a timeout) fails its record alone,
 * which SQS retries and, past `maxReceiveCount`, keeps in the dead-letter queue for redrive; a
 * permanent one (a bad number, an unsubscribed phone) is recorded, not retried.
 */
import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { appendAudit, SYSTEM } from '../../shared/audit.ts';
import type { Role } from '../../shared/auth.ts';
import { sqs } from '../../shared/clients.ts';
import { requiredEnv } from '../../shared/config.ts';
import { chinaDate } from '../../shared/domain/dates.ts';
import {
  type ChannelId,
  PermanentDeliveryError,
  send,
  type Target,
  TransientDeliveryError,
} from '../../shared/notify/channels.ts';
import {
  loadNotifyConfig,
  type NotifyConfig,
  outsideQuietHours,
  robotsFor,
} from '../../shared/notify/config.ts';
import { householdContact } from '../../shared/notify/contact.ts';
import {
  channelLabels,
  type DeliveryMessage,
  deliveryMessage,
  markUnreached,
  maskPhone,
  putInOutbox,
  recordTarget,
  relayDeliveries,
  targetState,
} from '../../shared/notify/deliveries.ts';
import { renderMessage, templates, UnsafeMessageError } from '../../shared/notify/templates.ts';
import { mentionsFor } from '../../shared/notify/work-channel.ts';
import * as cases from '../../shared/repositories/cases.ts';
import * as lifecycle from '../../shared/repositories/lifecycle.ts';
import { putNotification } from '../../shared/repositories/notifications.ts';
import { schedulesOf } from '../../shared/repositories/schedule.ts';
import { deliveriesQueue } from '../../shared/resources.ts';
import { PoisonMessageError, sqsConsumer } from './sqs.ts';

interface Recipient {
  /** Stable per event: the delivery's idempotency key beside the event id. */
  key: string;
  channel: ChannelId;
  /** As receipts show it: a masked phone number, or the office's robot. */
  shown: string;
  target: Target;
  /** Robots: the staff who chose the robot's platform (`shared/notify/work-channel.ts`). */
  mentions?: string[];
}

async function recipientsOf(message: DeliveryMessage, config: NotifyConfig): Promise<Recipient[]> {
  if ('household' in message.to) {
    const contact = await householdContact(message.caseId);
    // No phone on record, no SMS gateway, or the household chose none: the written notice stands alone.
    if (contact?.notify !== 'sms' || !config.sms) return [];
    return [
      {
        key: 'sms#0',
        channel: 'sms',
        shown: maskPhone(contact.phone),
        target: { channel: 'sms', phone: contact.phone, config: config.sms },
      },
    ];
  }
  const { office, audience, roles = audienceRoles[audience] } = message.to;
  const robots = robotsFor(config[audience], office);
  const mentions = robots.length ? await mentionsFor(office, roles) : {};
  return robots.map((robot, n) => ({
    key: `${robot.channel}#${n}`,
    channel: robot.channel,
    shown: `${audience === 'supervisors' ? '督办群' : '工作群'}（${office}）`,
    target: { channel: robot.channel, config: robot },
    mentions: mentions[robot.channel] ?? [],
  }));
}

/** Who acts on an office's message when it does not say: the county supervises (督办). */
const audienceRoles: Record<'caseworkers' | 'supervisors', readonly Role[]> = {
  caseworkers: ['townshipCaseworker', 'countyOfficer'],
  supervisors: ['countyOfficer'],
};

/** Whether a reminder still has a point: its task open, the household's case still assisted. */
async function stillDue(message: DeliveryMessage): Promise<boolean> {
  if (message.taskId) {
    const task = await cases.getTask(message.taskId);
    return task !== undefined && task.status !== 'decided';
  }
  if (message.template === 'recheckDue') {
    const item = await lifecycle.getCaseItem(message.caseId);
    // A case in assistance has no status until a recheck or an exit sets one.
    if (!item || ['exited', 'terminated', 'lapsed'].includes(item.status ?? '')) return false;
    // Still that day: a recheck brought forward (a member's death) has its own reminder.
    const pending = (await schedulesOf(message.caseId, 'Recheck')).filter((s) => s.status === 'pending');
    return pending.some((s) => chinaDate(new Date(s.dueAt)) === message.params.dueOn);
  }
  return true;
}

async function deliverOne(message: DeliveryMessage, config: NotifyConfig): Promise<void> {
  const template = templates[message.template];
  if (!(await stillDue(message))) return;
  if (!template.urgent) {
    const until = outsideQuietHours(config, new Date());
    // Held back in the outbox till the quiet hours end; the relay sends it then.
    if (until) return putInOutbox(message, until);
  }
  let text: string;
  try {
    text = renderMessage(message.template, message.params, config.pageBaseUrl);
  } catch (error) {
    if (error instanceof UnsafeMessageError) throw new PoisonMessageError(error.message);
    throw error;
  }
  for (const r of await recipientsOf(message, config)) {
    if (await targetState(message.eventId, r.key)) continue;
    try {
      const receipt = await send(r.target, {
        id: `${message.eventId}#${r.key}`,
        templateId: message.template,
        text,
        params: message.params,
        ...(r.mentions?.length ? { mentions: r.mentions } : {}),
      });
      await recordTarget(message.eventId, r.key, 'sent', { receiptId: receipt.receiptId });
      await appendAudit(message.caseId, {
        key: `notification.sent#${message.eventId}#${r.key}`,
        actor: SYSTEM,
        action: 'notification.sent',
        summary: `${channelLabels[r.channel]}通知已发出：${template.label}（${r.shown}${r.mentions?.length ? `，提醒 ${r.mentions.length} 人` : ''}）`,
        refs: {
          channel: r.channel,
          template: message.template,
          recipient: r.shown,
          ...(receipt.receiptId ? { receiptId: receipt.receiptId } : {}),
          // How many were @-mentioned; who they were is in their own choices, not on the case.
          ...(r.mentions?.length ? { mentioned: String(r.mentions.length) } : {}),
        },
      });
    } catch (error) {
      if (!(error instanceof PermanentDeliveryError)) throw error;
      const reason =
        { invalidNumber: '号码无效', unsubscribed: '已退订短信', rejected: '被拒收' }[error.reason] ??
        error.reason;
      const at = new Date().toISOString();
      await recordTarget(message.eventId, r.key, 'failed', {
        reason: error.reason,
        code: error.code ?? null,
      });
      await appendAudit(message.caseId, {
        key: `notification.failed#${message.eventId}#${r.key}`,
        actor: SYSTEM,
        action: 'notification.failed',
        summary: `${channelLabels[r.channel]}通知未能送达：${template.label}（${r.shown}，${reason}），请当面或电话联系`,
        refs: { channel: r.channel, template: message.template, recipient: r.shown, reason: error.reason },
      });
      if ('household' in message.to) {
        await markUnreached(message.caseId, { template: message.template, reason, at });
        // In the township's inbox: someone must reach the household another way.
        const item = await lifecycle.getCaseItem(message.caseId);
        if (item)
          await putNotification(
            {
              type: 'householdUnreached',
              taskId: `${message.eventId}#${r.key}`,
              kind: message.template,
              township: item.regionCode,
              caseId: message.caseId,
              label: template.label,
              reason,
            },
            `${message.eventId}#${r.key}`,
          );
      }
    }
  }
}

/** Seconds before a failed delivery is tried again: 30 s, doubling, at most 15 minutes. */
export const retryDelaySeconds = (receiveCount: number): number =>
  Math.min(900, 30 * 2 ** Math.max(0, receiveCount - 1));

async function deliver(message: DeliveryMessage, record: SQSRecord): Promise<void> {
  try {
    const config = await loadNotifyConfig();
    // Not configured yet: kept (SQS retries, then the DLQ holds it for redrive once it is).
    if (!config) throw new TransientDeliveryError('no notification configuration (NOTIFY_SECRET_ARN)');
    await deliverOne(message, config);
  } catch (error) {
    if (error instanceof TransientDeliveryError) {
      // Backs off: the message comes back later rather than after the queue's visibility timeout, so
      // an outage of an hour still falls within the queue's receives before the DLQ.
      const receives = Number(record.attributes.ApproximateReceiveCount) || 1;
      await sqs()
        .send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: requiredEnv(deliveriesQueue.env),
            ReceiptHandle: record.receiptHandle,
            VisibilityTimeout: retryDelaySeconds(receives),
          }),
        )
        .catch(() => undefined);
    }
    throw error;
  }
}

export const handler = sqsConsumer(deliveryMessage, deliver, 'deliveries not sent');

/** The outbox relay, every minute (`relayDeliveries` in the catalog). */
export const relay = (): Promise<{ relayed: number }> => relayDeliveries();
