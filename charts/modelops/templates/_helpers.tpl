{{- define "modelops.fullname" -}}
{{- printf "%s-operator" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "modelops.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "modelops.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "modelops.labels" -}}
app.kubernetes.io/name: modelops-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "modelops.selectorLabels" -}}
app.kubernetes.io/name: modelops-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "modelops.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{- define "modelops.runtimeImage" -}}
{{- printf "%s:%s" .Values.runtimeImage.repository (.Values.runtimeImage.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/* "true" when replicas elect a leader: asked for, or needed because more than one runs. */}}
{{- define "modelops.leaderElection" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicas) 1) -}}true{{- end -}}
{{- end -}}

{{/*
What the controllers read and write, in every namespace they watch: one ClusterRole, or one Role per watched
namespace. Each verb is there because the code uses it: RbacCoverageTest records the operator's requests through a
whole lifecycle and fails on a request these rules do not allow and on a verb no request needs.
*/}}
{{- define "modelops.rules" -}}
# The three kinds, watched. The spec is never written: status is, and so are the SDK's finalizer on versions (held
# while a deployment serves one; a JSON patch) and consumed modelops.dev/action annotations on deployments.
- apiGroups: ["modelops.dev"]
  resources: ["modeltrainings"]
  verbs: ["list", "watch"]
# Trainings create versions (listing them for the next number); rollbacks read one fresh to record a rejection.
- apiGroups: ["modelops.dev"]
  resources: ["modelversions"]
  verbs: ["get", "list", "watch", "create", "patch"]
# A version whose deletion waits lists the deployments fresh.
- apiGroups: ["modelops.dev"]
  resources: ["modeldeployments"]
  verbs: ["list", "watch", "update"]
- apiGroups: ["modelops.dev"]
  resources: ["modeltrainings/status", "modelversions/status", "modeldeployments/status"]
  verbs: ["update"]
# Owned objects point at their owner with blockOwnerDeletion, which the API server allows only to whoever may update
# the owner's finalizers.
- apiGroups: ["modelops.dev"]
  resources: ["modeltrainings/finalizers", "modelversions/finalizers", "modeldeployments/finalizers"]
  verbs: ["update"]
# Training and validation Jobs: a training suspends and resumes its Job (patch); a new validation attempt deletes the
# last one's.
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# Pods are only read: termination messages, readiness, and the IPs analysis scrapes.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "watch"]
# Owned objects converge: created, read back when a create meets an object of the same name, put back when edited by
# hand, deleted when no longer wanted. Services: a distributed training's headless one; per deployment and per track.
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
# One Deployment per track; the autoscaler on the ModelDeployment's scale subresource.
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["get", "list", "watch", "create", "update", "delete"]
# traffic: GatewayAPI. Read on each pass, no informer, so clusters without the Gateway API still run the operator.
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["httproutes"]
  verbs: ["get", "create", "update"]
# Events on the three kinds (core API; each one a new Event).
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end -}}
