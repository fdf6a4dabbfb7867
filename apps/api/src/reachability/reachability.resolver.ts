import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import type { ReachablePeer as EngineReachablePeer, SteppedVerdict } from '@netpol-atlas/engine';
import { PeerInput, Protocol, ReachablePeer, ReachablePeers } from '../analysis/analysis.models.js';
import { mapAnalysisErrors } from '../analysis/analysis-errors.js';
import { AnalysisService } from '../analysis/analysis.service.js';
import type { ModelQuestion } from '../analysis/model-thread.js';
import { peerSpec } from '../analysis/peer-input.js';
import { PortScalar } from '../graphql/port-scalar.js';
import { SnapshotLookup } from '../analysis/snapshot-lookup.js';
import { Reachability } from './reachability.models.js';
import type { CniProfileAnswer } from '../analysis/cni-profile-answer.js';

@Resolver()
export class ReachabilityResolver {
  constructor(
    private readonly lookup: SnapshotLookup,
    private readonly analyses: AnalysisService,
  ) {}

  @Query(() => Reachability, {
    description:
      'Whether `from` may open a connection to `to` on `port` (a number, or a named container port of `to`), with the ' +
      'policies and rules of both sides; the same JSON as `netpol eval -o json`. A named port must have the asked ' +
      '`protocol` (e.g. UDP for a DNS port). A workload to itself means two replicas.',
  })
  async reachability(
    @Args('snapshotId', { type: () => ID }) snapshotId: string,
    @Args('from', { type: () => PeerInput }) from: PeerInput,
    @Args('to', { type: () => PeerInput }) to: PeerInput,
    @Args('port', { type: () => PortScalar }) port: number | string,
    @Args('protocol', { type: () => Protocol, defaultValue: Protocol.TCP }) protocol: Protocol,
  ): Promise<SteppedVerdict> {
    return this.ask(snapshotId, { kind: 'reachability', from: peerSpec(from, 'from'), to: peerSpec(to, 'to'), port, protocol });
  }

  @Query(() => Reachability, {
    description:
      'Whether `from` may send ICMP to `to`: by default a ping (echo request: type 8, or 128 when an end is IPv6), or ' +
      'the given `icmpType` (and `icmpCode`); the same JSON as `netpol eval --protocol ICMP -o json`. A NetworkPolicy ' +
      'rule without ports allows ICMP, one with ports never does; Calico rules decide by protocol, icmp and notICMP.',
  })
  async icmpReachability(
    @Args('snapshotId', { type: () => ID }) snapshotId: string,
    @Args('from', { type: () => PeerInput }) from: PeerInput,
    @Args('to', { type: () => PeerInput }) to: PeerInput,
    @Args('icmpType', { type: () => Int, nullable: true }) icmpType?: number | null,
    @Args('icmpCode', { type: () => Int, nullable: true }) icmpCode?: number | null,
  ): Promise<SteppedVerdict> {
    const icmp = { ...(icmpType !== null && icmpType !== undefined ? { type: icmpType } : {}), ...(icmpCode !== null && icmpCode !== undefined ? { code: icmpCode } : {}) };
    return this.ask(snapshotId, { kind: 'icmpReachability', from: peerSpec(from, 'from'), to: peerSpec(to, 'to'), icmp });
  }

  /** A question on a stored snapshot's model, answered in its model thread with the cluster's CNI profile; engine
   *  errors mapped once (`argument`: the peer argument a single-peer question names). */
  private async ask<T>(snapshotId: string, question: ModelQuestion, argument?: string): Promise<T> {
    const sha = await this.lookup.contentSha256(snapshotId);
    const options = await this.lookup.engineOptions(snapshotId);
    return mapAnalysisErrors(() => this.analyses.ask<T>(sha, options, question), argument);
  }

  @Query(() => [ReachablePeer], {
    description:
      'Every other workload (by top-level controller) and IP range allowed to reach `to` on `port`, each with all the ' +
      'ports it may use toward `to`.',
    deprecationReason: 'Use `whoCanReachPeers`: the same peers with the CNI profile that produced them.',
  })
  async whoCanReach(
    @Args('snapshotId', { type: () => ID }) snapshotId: string,
    @Args('to', { type: () => PeerInput }) to: PeerInput,
    @Args('port', { type: () => PortScalar }) port: number | string,
    @Args('protocol', { type: () => Protocol, defaultValue: Protocol.TCP }) protocol: Protocol,
  ): Promise<readonly EngineReachablePeer[]> {
    return this.ask(snapshotId, { kind: 'whoCanReach', to: peerSpec(to, 'to'), port: String(port), protocol }, 'to');
  }

  @Query(() => ReachablePeers, {
    description:
      'Every other workload (by top-level controller) and IP range allowed to reach `to` on `port`, each with all the ' +
      'ports it may use toward `to`; with the CNI profile that produced them.',
  })
  async whoCanReachPeers(
    @Args('snapshotId', { type: () => ID }) snapshotId: string,
    @Args('to', { type: () => PeerInput }) to: PeerInput,
    @Args('port', { type: () => PortScalar }) port: number | string,
    @Args('protocol', { type: () => Protocol, defaultValue: Protocol.TCP }) protocol: Protocol,
  ): Promise<CniProfileAnswer & { peers: readonly EngineReachablePeer[] }> {
    return this.askPeers(snapshotId, { kind: 'whoCanReach', to: peerSpec(to, 'to'), port: String(port), protocol }, 'to');
  }

  @Query(() => [ReachablePeer], {
    description: 'Every other workload and IP range `from` may reach, with the allowed ports.',
    deprecationReason: 'Use `reachableFromPeers`: the same peers with the CNI profile that produced them.',
  })
  async reachableFrom(
    @Args('snapshotId', { type: () => ID }) snapshotId: string,
    @Args('from', { type: () => PeerInput }) from: PeerInput,
  ): Promise<readonly EngineReachablePeer[]> {
    return this.ask(snapshotId, { kind: 'reachableFrom', from: peerSpec(from, 'from') }, 'from');
  }

  @Query(() => ReachablePeers, { description: 'Every other workload and IP range `from` may reach, with the allowed ports; with the CNI profile that produced them.' })
  async reachableFromPeers(
    @Args('snapshotId', { type: () => ID }) snapshotId: string,
    @Args('from', { type: () => PeerInput }) from: PeerInput,
  ): Promise<CniProfileAnswer & { peers: readonly EngineReachablePeer[] }> {
    return this.askPeers(snapshotId, { kind: 'reachableFrom', from: peerSpec(from, 'from') }, 'from');
  }

  /** A peers question and the profile its answer was computed under (the same options key the model thread used). */
  private async askPeers(snapshotId: string, question: ModelQuestion, argument: string): Promise<CniProfileAnswer & { peers: readonly EngineReachablePeer[] }> {
    const sha = await this.lookup.contentSha256(snapshotId);
    const options = await this.lookup.engineOptions(snapshotId);
    return mapAnalysisErrors(async () => {
      const peers = await this.analyses.ask<readonly EngineReachablePeer[]>(sha, options, question);
      return { ...(await this.analyses.cniProfileAnswer(sha, options)), peers };
    }, argument);
  }
}
