/**
 * The local emulators take no credentials (DynamoDB Local with one shared database, fauxqs), so
 * reachable from the network they would hand every table, message and object to anyone there.
 * The kernel's own socket tables say where each one really listens.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useRuntime } from '../support/runtime.ts';

const runtime = useRuntime();

const LISTEN = '0A';
const IPV4_LOOPBACK = /^[0-9A-F]{6}7F$/; // 127.0.0.0/8, little-endian
const IPV6_LOOPBACK = new Set([
  '00000000000000000000000001000000', // ::1
  '0000000000000000FFFF00000100007F', // ::ffff:127.0.0.1
]);

/** Every local address listening on `port`, from /proc/net/tcp and tcp6. */
function listeningAddresses(port: number): string[] {
  const addresses: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      const [address, hexPort] = local!.split(':');
      if (state === LISTEN && Number.parseInt(hexPort!, 16) === port) addresses.push(address!);
    }
  }
  return addresses;
}

const isLoopback = (address: string) =>
  address.length === 8 ? IPV4_LOOPBACK.test(address) : IPV6_LOOPBACK.has(address);

describe('local runtime sockets', () => {
  it('DynamoDB Local, fauxqs, the Step Functions API and the HTTP API listen on loopback only', () => {
    const { endpoints, apiUrl } = runtime.rt;
    const servers = {
      dynamodb: endpoints.dynamodb,
      sqs: endpoints.sqs,
      sfn: endpoints.sfn,
      api: apiUrl,
    };
    for (const [name, url] of Object.entries(servers)) {
      const addresses = listeningAddresses(Number(new URL(url).port));
      expect(addresses, `${name} (${url}) listens`).not.toEqual([]);
      expect(
        addresses.filter((a) => !isLoopback(a)),
        `${name} (${url}) beyond loopback`,
      ).toEqual([]);
    }
  });
});
