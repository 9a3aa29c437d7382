/**
 * The personal fields of a household as stored: each member's ID number, disability grade and
 * severe-illness flag sealed (`shared/crypto.ts`), with the ID number also kept masked (区划 + 后四位)
 * for the views that only show it; the applicant's phone sealed too, kept masked beside it. Repositories seal on the way in and open on the way out, so the
 * rest of the code reads households as declared and the table never holds these fields in clear.
 */
import { fieldCipher, isSealed } from '../crypto.ts';
import { maskIdNumber } from '../domain/id-number.ts';
import { maskPhone } from '../notify/deliveries.ts';

interface WithMembers {
  applicant?: { phone?: unknown };
  members: ReadonlyArray<{
    idNumber: string;
    disabilityCategory?: unknown;
    disabilityGrade?: unknown;
    severeIllness?: unknown;
    selfCareUnable?: unknown;
  }>;
}

// Health facts: the disability (category and grade), a serious illness and the self-care assessment.
const SEALED = [
  'idNumber',
  'disabilityCategory',
  'disabilityGrade',
  'severeIllness',
  'selfCareUnable',
] as const;

export async function sealHousehold<T extends WithMembers>(household: T): Promise<T> {
  const cipher = fieldCipher();
  const members = await Promise.all(
    household.members.map(async (m) => {
      const sealed: Record<string, unknown> = { ...m, idNumberMasked: maskIdNumber(m.idNumber) };
      for (const field of SEALED)
        if (m[field] !== undefined && !isSealed(m[field])) sealed[field] = await cipher.seal(m[field]);
      return sealed;
    }),
  );
  const phone = household.applicant?.phone;
  const applicant =
    typeof phone === 'string' && !isSealed(phone)
      ? { ...household.applicant, phone: await cipher.seal(phone), phoneMasked: maskPhone(phone) }
      : household.applicant;
  return { ...household, members, ...(applicant ? { applicant } : {}) } as unknown as T;
}

export async function openHousehold<T extends WithMembers>(household: T): Promise<T> {
  const cipher = fieldCipher();
  const members = await Promise.all(
    household.members.map(async (m) => {
      const { idNumberMasked: _masked, ...opened } = m as Record<string, unknown>;
      for (const field of SEALED)
        if (isSealed(opened[field])) opened[field] = await cipher.open(opened[field]);
      return opened;
    }),
  );
  let applicant = household.applicant;
  if (applicant && isSealed(applicant.phone)) {
    const { phoneMasked: _masked, ...rest } = applicant as Record<string, unknown>;
    applicant = { ...rest, phone: await cipher.open(applicant.phone) };
  }
  return { ...household, members, ...(applicant ? { applicant } : {}) } as unknown as T;
}

/** A record with a household inside (`key`), sealed or opened as a whole. */
export async function sealIn<R, K extends keyof R>(record: R, key: K): Promise<R> {
  const household = record[key] as unknown as WithMembers | undefined;
  return household ? { ...record, [key]: await sealHousehold(household) } : record;
}

export async function openIn<R, K extends keyof R>(record: R | undefined, key: K): Promise<R | undefined> {
  const household = record?.[key] as unknown as WithMembers | undefined;
  return record && household ? { ...record, [key]: await openHousehold(household) } : record;
}
