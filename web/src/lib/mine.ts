/**
 * The applications an applicant filed from this browser, kept per signed-in applicant (their user
 * id), so the status page lists them again when the same applicant comes back.
 */
const STORAGE = 'doudi.myApplications';

export interface Mine {
  applicationId: string;
  caseId: string;
  submittedAt: string;
}

const key = (subject: string) => `${STORAGE}.${subject}`;

export function myApplications(subject: string): Mine[] {
  try {
    const list = JSON.parse(localStorage.getItem(key(subject)) ?? '[]') as unknown;
    return Array.isArray(list) ? (list as Mine[]) : [];
  } catch {
    return [];
  }
}

export function rememberApplication(subject: string, entry: Mine): void {
  const list = [
    entry,
    ...myApplications(subject).filter((m) => m.applicationId !== entry.applicationId),
  ].slice(0, 20);
  localStorage.setItem(key(subject), JSON.stringify(list));
}
