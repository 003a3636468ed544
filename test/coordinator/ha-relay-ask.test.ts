// Asks for the live view of an agent's session across coordinators (ha/etcd-command-relay.ts), on
// a real etcd member: two relays on one prefix, each under its own lease. The one holding the
// session answers what the other asks; an ask nobody answers settles as null at its bound; an
// asker is not offered its own asks; the keys of an answered ask are removed.
import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveSessionView, SessionAsk } from '../../coordinator/src/agents/command-relay.js';
import { EtcdCommandRelay } from '../../coordinator/src/ha/etcd-command-relay.js';
import { createLogger } from '../../coordinator/src/logger.js';
import { EtcdCluster } from '../harness/etcd.js';
import { waitFor } from '../harness/ovs.js';

const logger = createLogger('silent');
const PREFIX = `/relay-ask-${process.pid}`;

describe('asking another coordinator for a session’s live view', () => {
  let cluster: EtcdCluster;
  let client: Etcd3;
  let asker: EtcdCommandRelay;
  let holder: EtcdCommandRelay;
  const askedOfAsker: SessionAsk[] = [];

  beforeAll(async () => {
    cluster = await EtcdCluster.start(1);
    client = new Etcd3({ hosts: cluster.endpoints });
    const relay = async (coordinator: string): Promise<EtcdCommandRelay> => {
      const lease = await client.lease(30).grant();
      const r = new EtcdCommandRelay({ client, prefix: PREFIX, self: { coordinator, lease }, logger });
      await r.start();
      return r;
    };
    [asker, holder] = [await relay('coord-a'), await relay('coord-b')];
    asker.on('asked', (ask) => askedOfAsker.push(ask));
  }, 60_000);

  afterAll(async () => {
    await asker?.close();
    await holder?.close();
    client?.close();
    await cluster?.stop();
  });

  it('the holder answers with its view; the ask’s keys go afterwards', async () => {
    const view: LiveSessionView = {
      epoch: 7,
      lastHeartbeatAt: 1_700_000_000_000,
      report: { ovsdbConnected: true, ovsVersion: '3.1.0', bridge: 'br-int', bridges: ['br-int'], ports: [] } as never,
    };
    const onAsked = (ask: SessionAsk): void => {
      if (ask.agentId === 'nic-held') holder.tell(ask, view);
    };
    holder.on('asked', onAsked);
    try {
      expect(await asker.ask('nic-held', 10_000)).toEqual(view);
    } finally {
      holder.off('asked', onAsked);
    }
    expect(askedOfAsker).toEqual([]);
    const left = async (): Promise<number> => (await client.getAll().prefix(`${PREFIX}/ha/`).keys()).length;
    await waitFor(async () => (await left()) === 0, 10_000, 'the ask and its answer removed');
  });

  it('an ask nobody answers is null at its bound', async () => {
    expect(await asker.ask('nic-nowhere', 300)).toBeNull();
  });
});
