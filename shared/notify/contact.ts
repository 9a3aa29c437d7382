/**
 * How a household is reached by SMS: the phone and choice it declared when it applied (or asked for
 * emergency aid), until it — or its township, which heard of a new number in person — registers
 * another (`PUT /cases/{caseId}/contact`). A number the gateway refused is mended this way.
 *
 * Item: `pk=CASE#<caseId>`, `sk=CONTACT`, the phone sealed (`shared/crypto.ts`) beside its masked
 * form; each change is an entry on the case chain, written in the same transaction.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { type AuditActor, appendAudit } from '../audit.ts';
import { dynamo } from '../clients.ts';
import { requiredEnv } from '../config.ts';
import { fieldCipher, type Sealed } from '../crypto.ts';
import * as lifecycle from '../repositories/lifecycle.ts';
import { casesTable } from '../resources.ts';
import type { householdContactView } from '../schemas/household.ts';
import { maskPhone } from './deliveries.ts';

const table = () => requiredEnv(casesTable.env);
const KEY = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CONTACT' });

export interface HouseholdContact {
  phone: string;
  notify: 'sms' | 'none';
}

export type ContactView = z.infer<typeof householdContactView>;

/** The contact registered since the household applied, if any. */
async function registered(caseId: string): Promise<(HouseholdContact & { changedAt: string }) | undefined> {
  const { Item } = await dynamo().send(new GetCommand({ TableName: table(), Key: KEY(caseId) }));
  if (!Item) return undefined;
  return {
    phone: await fieldCipher().open<string>(Item.phone as Sealed),
    notify: Item.notify as HouseholdContact['notify'],
    changedAt: Item.changedAt as string,
  };
}

/** The phone and choice a case's household declared: its application's, or its emergency request's. */
async function declared(item: lifecycle.CaseItem): Promise<HouseholdContact | undefined> {
  const applicant =
    item.kind === 'emergency' && item.emergencyId
      ? (await lifecycle.getEmergency(item.emergencyId))?.request.applicant
      : (await lifecycle.determinedApplication(item))?.declaration.applicant;
  return applicant ? { phone: applicant.phone, notify: applicant.notify ?? 'sms' } : undefined;
}

/** How the household of a case is reached now; undefined when it gave no phone (nor the case exists). */
export async function householdContact(
  caseId: string,
): Promise<(HouseholdContact & { source: ContactView['source']; changedAt: string | null }) | undefined> {
  const changed = await registered(caseId);
  if (changed) return { ...changed, source: 'changed' };
  const item = await lifecycle.getCaseItem(caseId);
  const own = item && (await declared(item));
  return own && { ...own, source: 'declared', changedAt: null };
}

export const contactView = (
  c: HouseholdContact & Pick<ContactView, 'source' | 'changedAt'>,
): ContactView => ({
  phoneMasked: maskPhone(c.phone),
  notify: c.notify,
  source: c.source,
  changedAt: c.changedAt,
});

/** Registers a new phone or choice; `same` (nothing written) when it is the one in use. */
export async function changeHouseholdContact(
  caseId: string,
  contact: HouseholdContact,
  by: AuditActor,
): Promise<{ outcome: 'changed' | 'same'; contact: ContactView }> {
  const current = await householdContact(caseId);
  if (current && current.phone === contact.phone && current.notify === contact.notify)
    return { outcome: 'same', contact: contactView(current) };
  const changedAt = new Date().toISOString();
  const masked = maskPhone(contact.phone);
  await appendAudit(
    caseId,
    {
      key: `contact.changed#${changedAt}`,
      actor: by,
      action: 'contact.changed',
      summary:
        contact.notify === 'sms'
          ? `登记短信通知号码：${masked}`
          : `选择不接收短信通知（号码 ${masked}，书面告知不受影响）`,
      refs: { notify: contact.notify },
    },
    [
      {
        Put: {
          TableName: table(),
          Item: {
            ...KEY(caseId),
            phone: await fieldCipher().seal(contact.phone),
            phoneMasked: masked,
            notify: contact.notify,
            changedAt,
            changedBy: { subject: by.subject, name: by.name, role: by.role },
          },
        },
      },
    ],
  );
  return {
    outcome: 'changed',
    contact: { phoneMasked: masked, notify: contact.notify, source: 'changed', changedAt },
  };
}
