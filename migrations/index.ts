// Every migration, in order. Listed explicitly (no globs): ESM cannot load `.ts` files by pattern at runtime,
// and a new migration must be added here by hand (see shared notes, stack.md).
import { CreateClusters1795737600000 } from './1795737600000-create-clusters.js';
import { CreateSnapshotStore1795737600001 } from './1795737600001-create-snapshot-store.js';
import { MakeEvidenceImmutable1795737600002 } from './1795737600002-make-evidence-immutable.js';
import { StoreSnapshotObjects1795737600004 } from './1795737600004-store-snapshot-objects.js';
import { CreateAnalysisCache1795737600050 } from './1795737600050-create-analysis-cache.js';
import { DerivedArtefactKinds1795737600070 } from './1795737600070-derived-artefact-kinds.js';
import { SecureTheStore1795737600100 } from './1795737600100-secure-the-store.js';
import { CreateComplianceEvidence1795737600200 } from './1795737600200-create-compliance-evidence.js';
import { CreateAnalysisJobs1795737600300 } from './1795737600300-create-analysis-jobs.js';
import { ClusterCniProfile1795737600320 } from './1795737600320-cluster-cni-profile.js';
import { ClusterCniSource1795737600330 } from './1795737600330-cluster-cni-source.js';
import { ContentLz4Compression1795737600340 } from './1795737600340-content-lz4-compression.js';
import { ReportViews1795737600400 } from './1795737600400-report-views.js';
import { ReportRowPages1795737600500 } from './1795737600500-report-row-pages.js';

export const migrations = [
  CreateClusters1795737600000,
  CreateSnapshotStore1795737600001,
  MakeEvidenceImmutable1795737600002,
  StoreSnapshotObjects1795737600004,
  CreateAnalysisCache1795737600050,
  DerivedArtefactKinds1795737600070,
  SecureTheStore1795737600100,
  CreateComplianceEvidence1795737600200,
  CreateAnalysisJobs1795737600300,
  ClusterCniProfile1795737600320,
  ClusterCniSource1795737600330,
  ContentLz4Compression1795737600340,
  ReportViews1795737600400,
  ReportRowPages1795737600500,
];
