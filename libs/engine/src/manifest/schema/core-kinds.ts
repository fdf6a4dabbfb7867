// The field schemas of the kinds the engine models (Kubernetes 1.34 field names). NetworkPolicy is closed
// throughout; the other kinds are closed along the parts analysis reads (metadata; a Pod's spec, containers, their
// ports and status; a controller's spec and pod template; a Service's spec and ports) and open elsewhere
// (a Pod's `spec.volumes`, a Deployment's `spec.strategy`: unknown fields there change no answer).
import { ANY, closed, leaves, listOf, type FieldSchema } from './field-schema.js';

const OWNER_REFERENCE = closed(leaves('apiVersion', 'kind', 'name', 'uid', 'controller', 'blockOwnerDeletion'));

export const OBJECT_META = closed({
  ...leaves(
    'name',
    'generateName',
    'namespace',
    'selfLink',
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'labels',
    'annotations',
    'finalizers',
    'managedFields',
    // Removed in Kubernetes 1.25 but still present in older dumps.
    'clusterName',
  ),
  ownerReferences: listOf(OWNER_REFERENCE),
});

export const LABEL_SELECTOR = closed({
  matchLabels: ANY,
  matchExpressions: listOf(closed(leaves('key', 'operator', 'values'))),
});

// A warning, not an error: np-guard reads such files (its corpus has a `containerport` typo, whose expected outputs
// see no port there), like the MISSING_FIELD warning for the containerPort it lacks.
const CONTAINER_PORT = closed(leaves('containerPort', 'hostIP', 'hostPort', 'name', 'protocol'), 'warning');

const CONTAINER = closed({
  ...leaves(
    'args',
    'command',
    'env',
    'envFrom',
    'image',
    'imagePullPolicy',
    'lifecycle',
    'livenessProbe',
    'name',
    'readinessProbe',
    'resizePolicy',
    'resources',
    'restartPolicy',
    'restartPolicyRules',
    'securityContext',
    'startupProbe',
    'stdin',
    'stdinOnce',
    'terminationMessagePath',
    'terminationMessagePolicy',
    'tty',
    'volumeDevices',
    'volumeMounts',
    'workingDir',
  ),
  ports: listOf(CONTAINER_PORT),
});

const POD_SPEC = closed({
  ...leaves(
    'activeDeadlineSeconds',
    'affinity',
    'automountServiceAccountToken',
    'dnsConfig',
    'dnsPolicy',
    'enableServiceLinks',
    'ephemeralContainers',
    'hostAliases',
    'hostIPC',
    'hostNetwork',
    'hostPID',
    'hostUsers',
    'hostname',
    'hostnameOverride',
    'imagePullSecrets',
    'nodeName',
    'nodeSelector',
    'os',
    'overhead',
    'preemptionPolicy',
    'priority',
    'priorityClassName',
    'readinessGates',
    'resourceClaims',
    'resources',
    'restartPolicy',
    'runtimeClassName',
    'schedulerName',
    'schedulingGates',
    'securityContext',
    'serviceAccount',
    'serviceAccountName',
    'setHostnameAsFQDN',
    'shareProcessNamespace',
    'subdomain',
    'terminationGracePeriodSeconds',
    'tolerations',
    'topologySpreadConstraints',
    'volumes',
  ),
  containers: listOf(CONTAINER),
  initContainers: listOf(CONTAINER),
});

const POD_STATUS = closed({
  ...leaves(
    'conditions',
    'containerStatuses',
    'ephemeralContainerStatuses',
    'extendedResourceClaimStatus',
    'hostIP',
    'hostIPs',
    'initContainerStatuses',
    'message',
    'nominatedNodeName',
    'observedGeneration',
    'phase',
    'qosClass',
    'reason',
    'resize',
    'resourceClaimStatuses',
    'startTime',
    'podIP',
  ),
  podIPs: listOf(closed(leaves('ip'))),
});

const POD_TEMPLATE = closed({ metadata: OBJECT_META, spec: POD_SPEC });

/** A top-level object: the usual five members, with `metadata` closed and `spec`/`status` as given. */
export function objectSchema(spec: FieldSchema, status: FieldSchema = ANY): FieldSchema {
  return closed({ ...leaves('apiVersion', 'kind'), metadata: OBJECT_META, spec, status });
}

const controllerSpec = (names: string[]): FieldSchema =>
  closed({ ...leaves(...names), selector: LABEL_SELECTOR, template: POD_TEMPLATE });

const JOB_SPEC = controllerSpec([
  'parallelism',
  'completions',
  'activeDeadlineSeconds',
  'podFailurePolicy',
  'successPolicy',
  'backoffLimit',
  'backoffLimitPerIndex',
  'maxFailedIndexes',
  'manualSelector',
  'ttlSecondsAfterFinished',
  'completionMode',
  'suspend',
  'podReplacementPolicy',
  'managedBy',
]);

const NETWORK_POLICY_PEER = closed({
  podSelector: LABEL_SELECTOR,
  namespaceSelector: LABEL_SELECTOR,
  ipBlock: closed(leaves('cidr', 'except')),
});

const NETWORK_POLICY_PORT = closed(leaves('protocol', 'port', 'endPort'));

/** The core kinds' schemas, keyed by API group and kind (see registry.ts). */
export const CORE_KIND_SCHEMAS: ReadonlyArray<{ readonly group: string; readonly kinds: readonly string[]; readonly schema: FieldSchema }> = [
  { group: '', kinds: ['Namespace'], schema: objectSchema(ANY) },
  // Only its labels are read (Calico's `serviceAccounts.selector`); the token fields change no answer.
  { group: '', kinds: ['ServiceAccount'], schema: closed({ ...leaves('apiVersion', 'kind', 'secrets', 'imagePullSecrets', 'automountServiceAccountToken'), metadata: OBJECT_META }) },
  { group: '', kinds: ['Pod'], schema: objectSchema(POD_SPEC, POD_STATUS) },
  {
    group: '',
    kinds: ['Node'],
    // Closed along what analysis reads (labels, `status.addresses`); the rest of a Node changes no answer.
    schema: objectSchema(
      ANY,
      closed({
        ...leaves('allocatable', 'capacity', 'conditions', 'config', 'daemonEndpoints', 'declaredFeatures', 'features', 'images', 'nodeInfo', 'phase', 'runtimeHandlers', 'volumesAttached', 'volumesInUse'),
        addresses: listOf(closed(leaves('type', 'address'))),
      }),
    ),
  },
  {
    group: '',
    kinds: ['Service'],
    schema: objectSchema(
      closed({
        ...leaves(
          'selector',
          'clusterIP',
          'clusterIPs',
          'type',
          'externalIPs',
          'sessionAffinity',
          'loadBalancerIP',
          'loadBalancerSourceRanges',
          'externalName',
          'externalTrafficPolicy',
          'healthCheckNodePort',
          'publishNotReadyAddresses',
          'sessionAffinityConfig',
          'ipFamilies',
          'ipFamilyPolicy',
          'allocateLoadBalancerNodePorts',
          'loadBalancerClass',
          'internalTrafficPolicy',
          'trafficDistribution',
        ),
        ports: listOf(closed(leaves('name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort'))),
      }),
    ),
  },
  {
    group: '',
    kinds: ['ReplicationController'],
    // Its selector is a plain label map.
    schema: objectSchema(closed({ ...leaves('replicas', 'minReadySeconds', 'selector'), template: POD_TEMPLATE })),
  },
  {
    group: 'apps',
    kinds: ['Deployment'],
    schema: objectSchema(controllerSpec(['replicas', 'strategy', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'progressDeadlineSeconds'])),
  },
  {
    group: 'extensions',
    kinds: ['Deployment'],
    schema: objectSchema(
      controllerSpec(['replicas', 'strategy', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'progressDeadlineSeconds', 'rollbackTo']),
    ),
  },
  { group: 'apps', kinds: ['ReplicaSet'], schema: objectSchema(controllerSpec(['replicas', 'minReadySeconds'])) },
  { group: 'extensions', kinds: ['ReplicaSet'], schema: objectSchema(controllerSpec(['replicas', 'minReadySeconds'])) },
  {
    group: 'apps',
    kinds: ['StatefulSet'],
    schema: objectSchema(
      controllerSpec([
        'replicas',
        'volumeClaimTemplates',
        'serviceName',
        'podManagementPolicy',
        'updateStrategy',
        'revisionHistoryLimit',
        'minReadySeconds',
        'persistentVolumeClaimRetentionPolicy',
        'ordinals',
      ]),
    ),
  },
  { group: 'apps', kinds: ['DaemonSet'], schema: objectSchema(controllerSpec(['updateStrategy', 'minReadySeconds', 'revisionHistoryLimit'])) },
  {
    group: 'extensions',
    kinds: ['DaemonSet'],
    schema: objectSchema(controllerSpec(['updateStrategy', 'minReadySeconds', 'revisionHistoryLimit', 'templateGeneration'])),
  },
  { group: 'batch', kinds: ['Job'], schema: objectSchema(JOB_SPEC) },
  {
    group: 'batch',
    kinds: ['CronJob'],
    schema: objectSchema(
      closed({
        ...leaves('schedule', 'timeZone', 'startingDeadlineSeconds', 'concurrencyPolicy', 'suspend', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'),
        jobTemplate: closed({ metadata: OBJECT_META, spec: JOB_SPEC }),
      }),
    ),
  },
  {
    group: 'networking.k8s.io',
    kinds: ['NetworkPolicy'],
    schema: objectSchema(
      closed({
        podSelector: LABEL_SELECTOR,
        policyTypes: ANY,
        ingress: listOf(closed({ from: listOf(NETWORK_POLICY_PEER), ports: listOf(NETWORK_POLICY_PORT) })),
        egress: listOf(closed({ to: listOf(NETWORK_POLICY_PEER), ports: listOf(NETWORK_POLICY_PORT) })),
      }),
    ),
  },
];
