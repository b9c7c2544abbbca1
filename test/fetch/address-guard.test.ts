import { describe, it, expect } from 'vitest';
import { createAllowlist, forbiddenReason, isForbiddenAddress } from '../../src/fetch/address-guard.ts';
import { isUserError } from '../../src/errors.ts';

describe('isForbiddenAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'this network'],
    ['0.1.2.3', 'this network'],
    ['10.0.0.5', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['192.0.2.10', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['192.0.0.8', 'IETF'],
  ])('refuses IPv4 %s (%s)', (ip, reason) => {
    expect(isForbiddenAddress(ip)).toBe(true);
    expect(forbiddenReason(ip)).toContain(reason);
  });

  it.each([
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'unique local'],
    ['fd00:ec2::254', 'unique local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['2001::1', 'Teredo'],
    ['100::1', 'discard'],
    ['::127.0.0.1', 'reserved'],
    ['4000::1', 'reserved'],
  ])('refuses IPv6 %s (%s)', (ip, reason) => {
    expect(forbiddenReason(ip)).toContain(reason);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['[::ffff:192.168.0.1]', 'private'],
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b::169.254.169.254', 'link-local'],
    ['2002:a00:1::1', 'private'],
    ['2002:7f00:1::', 'loopback'],
  ])('checks the IPv4 address embedded in %s', (ip, reason) => {
    expect(forbiddenReason(ip)).toContain(reason);
    expect(forbiddenReason(ip)).toContain('inside an IPv6 address');
  });

  it.each([
    '93.184.216.34',
    '1.1.1.1',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '198.20.0.1',
    '2606:4700::1111',
    '2a00:1450:4001::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('lets the public address %s through', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(false);
  });

  it('refuses anything that is not an IP address', () => {
    expect(isForbiddenAddress('localhost')).toBe(true);
    expect(isForbiddenAddress('')).toBe(true);
    expect(isForbiddenAddress('999.1.1.1')).toBe(true);
  });
});

describe('createAllowlist', () => {
  it('allows a host by name whatever it resolves to', () => {
    const list = createAllowlist(['Intranet.Example.']);
    expect(list.allows('intranet.example', '10.0.0.5')).toBe(true);
    expect(list.allows('INTRANET.EXAMPLE.', '10.0.0.5')).toBe(true);
    expect(list.allows('other.example', '10.0.0.5')).toBe(false);
    expect(list.allows('sub.intranet.example', '10.0.0.5')).toBe(false);
  });

  it('allows subdomains with a *. entry but not the bare domain', () => {
    const list = createAllowlist(['*.corp.example']);
    expect(list.allows('news.corp.example', '10.0.0.5')).toBe(true);
    expect(list.allows('corp.example', '10.0.0.5')).toBe(false);
    expect(list.allows('evilcorp.example', '10.0.0.5')).toBe(false);
  });

  it('allows addresses inside a CIDR, and a single address', () => {
    const list = createAllowlist(['10.0.0.0/8', ' 127.0.0.1 ', 'fd00::/8']);
    expect(list.allows('a.example', '10.200.3.4')).toBe(true);
    expect(list.allows('a.example', '11.0.0.1')).toBe(false);
    expect(list.allows('a.example', '127.0.0.1')).toBe(true);
    expect(list.allows('a.example', '127.0.0.2')).toBe(false);
    expect(list.allows('a.example', 'fd12::1')).toBe(true);
    expect(list.allows('a.example', 'fe80::1')).toBe(false);
  });

  it('treats an IPv4-mapped address as its IPv4 form, both ways', () => {
    expect(createAllowlist(['192.168.0.0/16']).allows('h', '::ffff:192.168.3.4')).toBe(true);
    expect(createAllowlist(['::ffff:192.168.0.0/112']).allows('h', '192.168.3.4')).toBe(true);
  });

  it('ignores empty entries and refuses malformed ones with a config error', () => {
    expect(createAllowlist(['', '  ']).allows('h', '10.0.0.1')).toBe(false);
    for (const bad of ['10.0.0.0/33', '10.0.0.0/8/1', 'not a host', '999.1.1.1', 'http://x/']) {
      let caught: unknown;
      try {
        createAllowlist([bad]);
      } catch (err) {
        caught = err;
      }
      expect(isUserError(caught) && caught.code).toBe('config');
    }
  });
});
