/**
 * 收款账户 — where a household's assistance is paid: its bank card or account, or its social-security
 * card's financial account (民发〔2021〕57号第二十五条: 按月支付到最低生活保障家庭的账户). The number and
 * the holder's name are personal data: sealed at rest, shown masked everywhere.
 */
import { maskName } from './publication.ts';

export const payeeAccountKinds = ['bankCard', 'bankAccount', 'socialSecurityCard'] as const;
export type PayeeAccountKind = (typeof payeeAccountKinds)[number];

export const payeeAccountKindLabels: Record<PayeeAccountKind, string> = {
  bankCard: '银行卡',
  bankAccount: '银行账户（存折）',
  socialSecurityCard: '社会保障卡金融账户',
};

export interface PayeeAccount {
  kind: PayeeAccountKind;
  /** 开户行, e.g. 中国农业银行长沙县支行. */
  bankName: string;
  accountNumber: string;
  /** 户名: the account holder, a member of the household or its agent. */
  accountName: string;
}

/** What every view shows of an account: the bank, the number's first and last four digits, the name masked. */
export interface MaskedPayeeAccount {
  kind: PayeeAccountKind;
  bankName: string;
  accountNumberMasked: string;
  accountNameMasked: string;
}

/**
 * The Luhn check (ISO/IEC 7812) that every bank card number and social-security card's bank number
 * carries in its last digit: a mistyped digit or two swapped neighbours fail it.
 */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** 6222 0212 3456 7890 123 → 6222***********0123: the bank's prefix and the last four, as statements print. */
export function maskAccountNumber(number: string): string {
  return number.length <= 8
    ? `${'*'.repeat(Math.max(0, number.length - 4))}${number.slice(-4)}`
    : `${number.slice(0, 4)}${'*'.repeat(number.length - 8)}${number.slice(-4)}`;
}

export const maskPayee = (a: PayeeAccount): MaskedPayeeAccount => ({
  kind: a.kind,
  bankName: a.bankName,
  accountNumberMasked: maskAccountNumber(a.accountNumber),
  accountNameMasked: maskName(a.accountName),
});
