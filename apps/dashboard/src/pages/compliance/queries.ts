// Documents of the Compliance page: a cluster's profile, intents and reports; one report's controls and evidence.
import { graphql } from '../../gql/index.js';

export const COMPLIANCE_PAGE_QUERY = graphql(`
  query DashboardCompliance($cluster: String!) {
    viewer { auth role }
    cluster(name: $cluster) {
      name
      latestSnapshot { id capturedAt }
      complianceProfile { frameworks intentsId createdAt }
    }
    intentsVersions(cluster: $cluster) { id version name createdAt sha256 content }
    reports(cluster: $cluster, first: 50) {
      totalCount
      edges {
        node {
          id
          framework
          frameworkVersion
          generatedAt
          snapshotId
          intentsVersion
          summary { verdict pass fail manual notApplicable }
          changes { flipped { control from to } }
        }
      }
    }
  }
`);

export const REPORT_QUERY = graphql(`
  query DashboardReport($id: ID!) {
    report(id: $id) {
      id
      cluster
      framework
      frameworkVersion
      generatedAt
      snapshotId
      snapshotSha256
      reportSha256
      engineVersion
      cniProfile
      cniProfileNote
      intentsVersion
      evidenceUrl
      summary { verdict pass fail manual notApplicable }
      changes {
        previousReportId
        flipped { control from to }
      }
      controls {
        id
        reference
        title
        requirement
        status
        summary
        exceptions { path owner expires justification connections }
        evidence(first: 100) { totalCount edges { node { kind status subject peer ports zones detail } } }
      }
    }
  }
`);

export const GENERATE_REPORT_MUTATION = graphql(`
  mutation DashboardGenerateReport($snapshotId: ID!, $framework: String!, $intentsId: ID) {
    generateReport(snapshotId: $snapshotId, framework: $framework, intentsId: $intentsId) { id }
  }
`);

export const SAVE_INTENTS_MUTATION = graphql(`
  mutation DashboardSaveIntents($cluster: String!, $content: String!) {
    saveIntents(cluster: $cluster, content: $content) { id version }
  }
`);

export const SET_PROFILE_MUTATION = graphql(`
  mutation DashboardSetComplianceProfile($cluster: String!, $frameworks: [String!]!, $intentsId: ID) {
    setComplianceProfile(cluster: $cluster, frameworks: $frameworks, intentsId: $intentsId) { id }
  }
`);

export const INTENTS_CHECK_QUERY = graphql(`
  query DashboardIntentsCheck($snapshotId: ID!, $intentsId: ID!) {
    intentsCheck(snapshotId: $snapshotId, intentsId: $intentsId) {
      passed
      checked
      conforming
      violations { src dst srcZone dstZone ports allowedBy rules { policy rule direction } }
      expiredExceptions { path owner expires }
    }
  }
`);
