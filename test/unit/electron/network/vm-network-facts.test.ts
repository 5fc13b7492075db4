import { describe, expect, it } from 'vitest';
import { vmNetworkFacts } from '../../../../electron/network/vm-network-facts';

describe('vmNetworkFacts', () => {
  const noted = { guestNetwork: { hostAddress: '10.231.0.2', guestAddress: '172.16.0.2', mac: '06:00:AC:10:00:02' } };
  it('shows a running VM’s addresses, and none once it stopped', () => {
    expect(vmNetworkFacts(noted, true)).toEqual({ network: noted.guestNetwork });
    expect(vmNetworkFacts(noted, false)).toEqual({});
  });
  it('shows why a VM has no network, and passes nothing odd on', () => {
    expect(vmNetworkFacts({ guestNetwork: { problem: { message: 'Started without a network: no helper', remedy: 'Install it.' } } }, false)).toEqual({ networkProblem: { message: 'Started without a network: no helper', remedy: 'Install it.' } });
    expect(vmNetworkFacts({ guestNetwork: { ...noted.guestNetwork, hostAddress: '10.231.0.2; rm -rf' } }, true)).toEqual({});
    expect(vmNetworkFacts({ network: 'none' }, true)).toEqual({});
    expect(vmNetworkFacts(null, true)).toEqual({});
  });
});
