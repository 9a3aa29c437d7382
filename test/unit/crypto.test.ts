/** Field-level encryption of personal data (issue 7.2), with the local runtime's file key. */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fieldCipher, isSealed, newKeyFileContents, rotateKeyFile } from '../../shared/crypto.ts';

const dir = mkdtempSync(join(tmpdir(), 'doudi-crypto-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keyFile = (name: string) => {
  const path = join(dir, name);
  writeFileSync(path, newKeyFileContents());
  return path;
};

describe('field encryption', () => {
  it('seals values of any JSON type and opens them again; plain values pass through open', async () => {
    process.env.FIELD_KEY_FILE = keyFile('a');
    const cipher = fieldCipher();
    for (const value of ['430121198001010117', 2, null, true, { grade: 1 }]) {
      const sealed = await cipher.seal(value);
      expect(isSealed(sealed)).toBe(true);
      if (typeof value === 'string') expect(sealed).not.toContain(value);
      expect(await cipher.open(sealed)).toEqual(value);
    }
    expect(await cipher.open('plain')).toBe('plain');
  });

  it('uses a fresh IV per field: the same value seals differently', async () => {
    process.env.FIELD_KEY_FILE = keyFile('b');
    const cipher = fieldCipher();
    expect(await cipher.seal('x')).not.toBe(await cipher.seal('x'));
  });

  it('refuses ciphertext that was tampered with or sealed under another master key', async () => {
    process.env.FIELD_KEY_FILE = keyFile('c');
    const sealed = await fieldCipher().seal('430121198001010117');
    const flipped = `${sealed.slice(0, -3)}${sealed.at(-3) === 'A' ? 'B' : 'A'}${sealed.slice(-2)}`;
    await expect(fieldCipher().open(flipped as typeof sealed)).rejects.toThrow();
    process.env.FIELD_KEY_FILE = keyFile('d');
    await expect(fieldCipher().open(sealed)).rejects.toThrow();
  });

  it('rotates the local key file: what the earlier key sealed still opens, new seals use the new key, the blind index stays', async () => {
    const { blindIndex } = await import('../../shared/crypto.ts');
    const path = keyFile('rotated');
    copyFileSync(path, join(dir, 'before-rotation'));
    process.env.FIELD_KEY_FILE = path;
    const before = await fieldCipher().seal('430121198001010117');
    const index = await blindIndex('430121198001010117');

    rotateKeyFile(path);
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(2);
    expect(await fieldCipher().open(before)).toBe('430121198001010117');
    const after = await fieldCipher().seal('430121198001010125');
    expect(await fieldCipher().open(after)).toBe('430121198001010125');
    expect(await blindIndex('430121198001010117')).toBe(index);
    rotateKeyFile(path);
    expect(await fieldCipher().open(before)).toBe('430121198001010117');
    expect(await fieldCipher().open(after)).toBe('430121198001010125');

    // Sealed under the new key: the ring of before the rotation cannot open it.
    process.env.FIELD_KEY_FILE = join(dir, 'before-rotation');
    expect(await fieldCipher().open(before)).toBe('430121198001010117');
    await expect(fieldCipher().open(after)).rejects.toThrow(/no key of the key file/);
  });

  it('says which setting is missing when there is no key', () => {
    delete process.env.FIELD_KEY_FILE;
    delete process.env.FIELD_KMS_KEY_ID;
    expect(() => fieldCipher()).toThrow(/FIELD_KMS_KEY_ID|FIELD_KEY_FILE/);
  });
});

describe('blind index', () => {
  it('rotates as a ring: what the earlier key indexed is still asked for, new indexes and digests use the new key', async () => {
    const { blindIndex, blindIndexes, requestDigests, rotateBlindIndexKeyFile } = await import(
      '../../shared/crypto.ts'
    );
    const field = keyFile('ring-field');
    const ring = join(dir, 'blind-index-key');
    process.env.FIELD_KEY_FILE = field;
    process.env.BLIND_INDEX_KEY_FILE = ring;
    try {
      const id = '43012119800101011X';
      const before = await blindIndex(id);
      expect(await blindIndexes(id)).toEqual([before]);
      const [digest] = await requestDigests('scope', { a: 1 });

      rotateBlindIndexKeyFile(ring, field);
      const rotated = await blindIndexes(id);
      expect(rotated).toHaveLength(2);
      expect(rotated[1]).toBe(before);
      expect(await blindIndex(id)).toBe(rotated[0]);
      expect(rotated[0]).not.toBe(before);
      const digests = await requestDigests('scope', { a: 1 });
      expect(digests[1]).toBe(digest);
      expect(digests[0]).not.toBe(digest);
      // Rotating the field key moves no index.
      rotateKeyFile(field);
      expect(await blindIndexes(id)).toEqual(rotated);

      rotateBlindIndexKeyFile(ring, field);
      expect((await blindIndexes(id)).slice(1)).toEqual(rotated);
    } finally {
      delete process.env.BLIND_INDEX_KEY_FILE;
    }
  });

  it('is stable for one key, differs between keys, and does not contain the ID number', async () => {
    const { blindIndex } = await import('../../shared/crypto.ts');
    process.env.FIELD_KEY_FILE = keyFile('e');
    const a = await blindIndex('43012119800101011x');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await blindIndex('43012119800101011X')).toBe(a);
    expect(await blindIndex('430121198001010125')).not.toBe(a);
    process.env.FIELD_KEY_FILE = keyFile('f');
    expect(await blindIndex('43012119800101011X')).not.toBe(a);
  });
});
