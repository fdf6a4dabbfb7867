import { Module } from '@nestjs/common';
import { AnalysisModule } from '../analysis/analysis.module.js';
import { SnapshotsModule } from '../snapshots/snapshots.module.js';
import { RenderPoolModule } from '../compliance/render-pool.js';
import { ConnectivityController } from './connectivity.controller.js';
import { ConnectivityResolver, NamespaceMatrixResolver } from './connectivity.resolver.js';

@Module({ imports: [AnalysisModule, SnapshotsModule, RenderPoolModule], controllers: [ConnectivityController], providers: [ConnectivityResolver, NamespaceMatrixResolver] })
export class ConnectivityModule {}
