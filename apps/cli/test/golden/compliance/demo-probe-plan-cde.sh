#!/usr/bin/env bash
# Netpol Atlas probe plan (PCI-DSS 11.4.5 segmentation testing): run with kubectl access to the cluster.
# Scope: zone cde.
# 24 probes: 9 positive (expected to connect) cover 11 of 11 allowing rules;
# 10 negative (expected to time out) cover 10 of 10 isolation boundaries; 5 DNS checks.
# UDP probes are indicative only: nc cannot always tell a silent UDP service from a blocked one.
# Exit status: the number of probes whose observed result differs from the expected one.
set -u
mismatches=0

# The IP of a running pod of a workload (namespace, label selector).
pod_ip() {
  kubectl get pods -n "$1" -l "$2" --field-selector=status.phase=Running -o jsonpath='{.items[0].status.podIP}'
}

# probe ID EXPECTED NAMESPACE SELECTOR DESCRIPTION COMMAND...: runs COMMAND in a pod of the source workload.
probe() {
  local id="$1" expected="$2" namespace="$3" selector="$4" description="$5"
  shift 5
  local pod observed verdict
  pod=$(kubectl get pods -n "$namespace" -l "$selector" --field-selector=status.phase=Running -o jsonpath='{.items[0].metadata.name}')
  if [ -n "$pod" ] && kubectl exec -n "$namespace" "$pod" -- "$@" >/dev/null 2>&1; then observed=connect; else observed=blocked; fi
  if [ "$observed" = "$expected" ]; then verdict=ok; else verdict=MISMATCH; mismatches=$((mismatches + 1)); fi
  printf '%s %-8s expected=%-7s observed=%-7s %s\n' "$id" "$verdict" "$expected" "$observed" "$description"
}

# P01 positive: allowed by production/backend-egress spec.egress[1]; production/database-allow-backend-only spec.ingress[0]
probe P01 connect 'production' 'app=backend,monitoring/scrape=true,tier=application' 'production/backend[Deployment] -> production/database[StatefulSet] TCP 5432' nc -zv -w 3 "$(pod_ip 'production' 'app=database,tier=data')" 5432
# P02 positive: allowed by production/frontend-egress-restrict spec.egress[1]; production/backend-ingress spec.ingress[0]
probe P02 connect 'production' 'app=frontend,tier=web' 'production/frontend[Deployment] -> production/backend[Deployment] TCP 8080' nc -zv -w 3 "$(pod_ip 'production' 'app=backend,monitoring/scrape=true,tier=application')" 8080
# P03 positive: allowed by production/backend-ingress spec.ingress[1]
probe P03 connect 'ingress-nginx' 'app.kubernetes.io/name=ingress-nginx' 'ingress-nginx/ingress-nginx-controller[Deployment] -> production/backend[Deployment] TCP 8080' nc -zv -w 3 "$(pod_ip 'production' 'app=backend,monitoring/scrape=true,tier=application')" 8080
# P04 positive: allowed by production/allow-prometheus-scrape spec.ingress[0]
probe P04 connect 'monitoring' 'app.kubernetes.io/name=prometheus' 'monitoring/prometheus[Deployment] -> production/backend[Deployment] TCP 8080' nc -zv -w 3 "$(pod_ip 'production' 'app=backend,monitoring/scrape=true,tier=application')" 8080
# P05 positive: allowed by production/database-allow-backend-only spec.ingress[2]
probe P05 connect 'monitoring' 'app.kubernetes.io/name=prometheus' 'monitoring/prometheus[Deployment] -> production/database[StatefulSet] TCP 9187' nc -zv -w 3 "$(pod_ip 'production' 'app=database,tier=data')" 9187
# P06 positive: allowed by production/backend-egress spec.egress[0]
probe P06 connect 'production' 'app=backend,monitoring/scrape=true,tier=application' 'production/backend[Deployment] -> 0.0.0.0-9.255.255.255[External] TCP 53' nc -zv -w 3 '1.1.1.1' 53
# P07 positive: allowed by production/backend-egress spec.egress[3]
probe P07 connect 'production' 'app=backend,monitoring/scrape=true,tier=application' 'production/backend[Deployment] -> 0.0.0.0-9.255.255.255[External] TCP 443' nc -zv -w 3 '1.1.1.1' 443
# P08 positive: allowed by production/database-allow-backend-only spec.egress[0]
probe P08 connect 'production' 'app=database,tier=data' 'production/database[StatefulSet] -> kube-system/coredns[Deployment] UDP 53' nc -zuv -w 3 "$(pod_ip 'kube-system' 'k8s-app=kube-dns')" 53
# P09 positive: allowed by production/frontend-egress-restrict spec.egress[0]
probe P09 connect 'production' 'app=frontend,tier=web' 'production/frontend[Deployment] -> kube-system/coredns[Deployment] UDP 53' nc -zuv -w 3 "$(pod_ip 'kube-system' 'k8s-app=kube-dns')" 53
# P10 negative: kube-system/coredns[Deployment] may not reach production/backend[Deployment] on TCP 8080 (boundary: ingress of production/backend[Deployment])
probe P10 blocked 'kube-system' 'k8s-app=kube-dns' 'kube-system/coredns[Deployment] -> production/backend[Deployment] TCP 8080' nc -zv -w 3 "$(pod_ip 'production' 'app=backend,monitoring/scrape=true,tier=application')" 8080
# P11 negative: production/backend[Deployment] may not reach ingress-nginx/ingress-nginx-controller[Deployment] on TCP 80 (boundary: egress of production/backend[Deployment])
probe P11 blocked 'production' 'app=backend,monitoring/scrape=true,tier=application' 'production/backend[Deployment] -> ingress-nginx/ingress-nginx-controller[Deployment] TCP 80' nc -zv -w 3 "$(pod_ip 'ingress-nginx' 'app.kubernetes.io/name=ingress-nginx')" 80
# P12 negative: ingress-nginx/ingress-nginx-controller[Deployment] may not reach production/database[StatefulSet] on TCP 5432 (boundary: ingress of production/database[StatefulSet])
probe P12 blocked 'ingress-nginx' 'app.kubernetes.io/name=ingress-nginx' 'ingress-nginx/ingress-nginx-controller[Deployment] -> production/database[StatefulSet] TCP 5432' nc -zv -w 3 "$(pod_ip 'production' 'app=database,tier=data')" 5432
# P13 negative: production/database[StatefulSet] may not reach 1.1.1.1 on TCP 443 (boundary: egress of production/database[StatefulSet])
probe P13 blocked 'production' 'app=database,tier=data' 'production/database[StatefulSet] -> 0.0.0.0-9.255.255.255[External] TCP 443' nc -zv -w 3 '1.1.1.1' 443
# P14 negative: ingress-nginx/ingress-nginx-controller[Deployment] may not reach production/db-backup[CronJob] on TCP 80 (boundary: ingress of production/db-backup[CronJob])
probe P14 blocked 'ingress-nginx' 'app.kubernetes.io/name=ingress-nginx' 'ingress-nginx/ingress-nginx-controller[Deployment] -> production/db-backup[CronJob] TCP 80' nc -zv -w 3 "$(pod_ip 'production' 'app=db-backup')" 80
# P15 negative: production/db-backup[CronJob] may not reach 1.1.1.1 on TCP 443 (boundary: egress of production/db-backup[CronJob])
probe P15 blocked 'production' 'app=db-backup' 'production/db-backup[CronJob] -> 0.0.0.0-9.255.255.255[External] TCP 443' nc -zv -w 3 '1.1.1.1' 443
# P16 negative: ingress-nginx/ingress-nginx-controller[Deployment] may not reach production/frontend[Deployment] on TCP 3000 (boundary: ingress of production/frontend[Deployment])
probe P16 blocked 'ingress-nginx' 'app.kubernetes.io/name=ingress-nginx' 'ingress-nginx/ingress-nginx-controller[Deployment] -> production/frontend[Deployment] TCP 3000' nc -zv -w 3 "$(pod_ip 'production' 'app=frontend,tier=web')" 3000
# P17 negative: production/frontend[Deployment] may not reach 1.1.1.1 on TCP 443 (boundary: egress of production/frontend[Deployment])
probe P17 blocked 'production' 'app=frontend,tier=web' 'production/frontend[Deployment] -> 0.0.0.0-9.255.255.255[External] TCP 443' nc -zv -w 3 '1.1.1.1' 443
# P18 negative: ingress-nginx/ingress-nginx-controller[Deployment] may not reach production/redis[Deployment] on TCP 6379 (boundary: ingress of production/redis[Deployment])
probe P18 blocked 'ingress-nginx' 'app.kubernetes.io/name=ingress-nginx' 'ingress-nginx/ingress-nginx-controller[Deployment] -> production/redis[Deployment] TCP 6379' nc -zv -w 3 "$(pod_ip 'production' 'app=redis,tier=cache')" 6379
# P19 negative: production/redis[Deployment] may not reach 1.1.1.1 on TCP 443 (boundary: egress of production/redis[Deployment])
probe P19 blocked 'production' 'app=redis,tier=cache' 'production/redis[Deployment] -> 0.0.0.0-9.255.255.255[External] TCP 443' nc -zv -w 3 '1.1.1.1' 443
# P20 dns: production/backend[Deployment] resolves names through kube-system/coredns[Deployment]
probe P20 connect 'production' 'app=backend,monitoring/scrape=true,tier=application' 'production/backend[Deployment] DNS lookup' nslookup -timeout=3 kubernetes.default.svc.cluster.local
# P21 dns: production/database[StatefulSet] resolves names through kube-system/coredns[Deployment]
probe P21 connect 'production' 'app=database,tier=data' 'production/database[StatefulSet] DNS lookup' nslookup -timeout=3 kubernetes.default.svc.cluster.local
# P22 dns: production/db-backup[CronJob] cannot reach the cluster DNS (lint: dns-unreachable)
probe P22 blocked 'production' 'app=db-backup' 'production/db-backup[CronJob] DNS lookup' nslookup -timeout=3 kubernetes.default.svc.cluster.local
# P23 dns: production/frontend[Deployment] resolves names through kube-system/coredns[Deployment]
probe P23 connect 'production' 'app=frontend,tier=web' 'production/frontend[Deployment] DNS lookup' nslookup -timeout=3 kubernetes.default.svc.cluster.local
# P24 dns: production/redis[Deployment] cannot reach the cluster DNS (lint: dns-unreachable)
probe P24 blocked 'production' 'app=redis,tier=cache' 'production/redis[Deployment] DNS lookup' nslookup -timeout=3 kubernetes.default.svc.cluster.local

echo "mismatches: $mismatches"
if [ "$mismatches" -gt 255 ]; then exit 255; fi
exit "$mismatches"
