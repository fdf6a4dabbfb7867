import { Module } from '@nestjs/common';
import { AnalysisModule } from '../analysis/analysis.module.js';
import { RuleConnectionsResolver } from './rule-connections.resolver.js';

/** `Policy.ruleConnections`: the connections each rule of a policy allows (the dashboard's policy page). */
@Module({ imports: [AnalysisModule], providers: [RuleConnectionsResolver] })
export class RuleConnectionsModule {}
