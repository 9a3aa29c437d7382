/** The applications filed from this browser, so an applicant finds them again (until sign-in exists). */
const STORAGE = 'doudi.myApplications';

export interface Mine {
  applicationId: string;
  caseId: string;
  submittedAt: string;
}

export function myApplications(): Mine[] {
  try {
    const list = JSON.parse(localStorage.getItem(STORAGE) ?? '[]') as unknown;
    return Array.isArray(list) ? (list as Mine[]) : [];
  } catch {
    return [];
  }
}

export function rememberApplication(entry: Mine): void {
  const list = [entry, ...myApplications().filter((m) => m.applicationId !== entry.applicationId)].slice(
    0,
    20,
  );
  localStorage.setItem(STORAGE, JSON.stringify(list));
}
