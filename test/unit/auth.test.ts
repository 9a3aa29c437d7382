/** Jurisdiction and ownership rules of `shared/auth.ts`. */
import { describe, expect, it } from 'vitest';
import {
  covers,
  ForbiddenError,
  inJurisdiction,
  type Principal,
  requireOwnerOrStaff,
} from '../../shared/auth.ts';
import { NotFoundError } from '../../shared/errors.ts';

const staff = (regionCodes: string[]): Principal => ({
  subject: 's',
  name: 's',
  role: 'townshipCaseworker',
  regionCodes,
});

describe('jurisdiction', () => {
  it('a province covers its prefectures and counties, a prefecture its counties, a county itself', () => {
    expect(covers('430000', '430121')).toBe(true);
    expect(covers('430100', '430121')).toBe(true);
    expect(covers('430121', '430121')).toBe(true);
    expect(covers('430121', '430122')).toBe(false);
    expect(covers('430100', '430201')).toBe(false);
    expect(covers('430000', '410122')).toBe(false);
    expect(covers('000000', '410122')).toBe(true);
  });

  it('is any of the regions served', () => {
    expect(inJurisdiction(staff(['110101', '410000']), '410122')).toBe(true);
    expect(inJurisdiction(staff(['110101']), '410122')).toBe(false);
    expect(inJurisdiction(staff([]), '410122')).toBe(false);
  });
});

describe('ownership', () => {
  const record = { ownerSubject: 'a1', regionCode: '430121' };
  const applicant = (subject: string): Principal => ({
    subject,
    name: subject,
    role: 'applicant',
    regionCodes: [],
  });

  it('lets the applicant who submitted a record read it; to any other, it does not exist', () => {
    const missing = '申请 app-1 不存在';
    expect(requireOwnerOrStaff(applicant('a1'), record, ['auditor'], missing)).toBe(record);
    const theirs = () => requireOwnerOrStaff(applicant('a2'), record, ['auditor'], missing);
    const none = () => requireOwnerOrStaff(applicant('a2'), undefined, ['auditor'], missing);
    expect(theirs).toThrow(NotFoundError);
    expect(theirs).toThrow(missing);
    expect(none).toThrow(NotFoundError);
    expect(none).toThrow(missing);
    // A record a caseworker entered has no online owner: no applicant reads it.
    expect(() =>
      requireOwnerOrStaff(applicant('a1'), { regionCode: '430121' }, ['auditor'], missing),
    ).toThrow(NotFoundError);
  });

  it('lets staff of the listed roles read it in their jurisdiction only', () => {
    const auditor = (regionCodes: string[]): Principal => ({ ...staff(regionCodes), role: 'auditor' });
    expect(() => requireOwnerOrStaff(auditor(['430000']), record, ['auditor'], '')).not.toThrow();
    expect(() => requireOwnerOrStaff(auditor(['410000']), record, ['auditor'], '')).toThrow(ForbiddenError);
    expect(() => requireOwnerOrStaff(staff(['430000']), record, ['auditor'], '')).toThrow(ForbiddenError);
  });
});
