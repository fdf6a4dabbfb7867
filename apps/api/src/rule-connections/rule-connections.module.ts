import { Module } from '@nestjs/common';
import { AnalysisModule } from '../analysis/analysis.module.js';
import { RuleConnectionsResolver } from './rule-connections.resolver.js';

/** `Policy.ruleConnections`: what each rule of a policy does with the connections it matches (the dashboard's policy page). */
@Module({ imports: [AnalysisModule], providers: [RuleConnectionsResolver] })
export class RuleConnectionsModule {}
