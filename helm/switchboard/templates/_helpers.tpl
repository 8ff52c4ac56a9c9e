{{/*
Name of the chart, overridable with nameOverride.
*/}}
{{- define "switchboard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name, truncated at 63 characters (DNS label limit). When the release name
already contains the chart name it is used alone.
*/}}
{{- define "switchboard.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, as used by the helm.sh/chart label.
*/}}
{{- define "switchboard.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels every resource carries, without the selector labels (the test pod uses these only, so
the Service never selects it).
*/}}
{{- define "switchboard.commonLabels" -}}
helm.sh/chart: {{ include "switchboard.chart" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: switchboard
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Labels of the application's resources.
*/}}
{{- define "switchboard.labels" -}}
{{ include "switchboard.selectorLabels" . }}
{{ include "switchboard.commonLabels" . }}
app.kubernetes.io/component: server
{{- end }}

{{/*
Selector labels (immutable on the Deployment: never add to them).
*/}}
{{- define "switchboard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "switchboard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Name of the ServiceAccount to use.
*/}}
{{- define "switchboard.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "switchboard.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image reference; the tag defaults to the chart appVersion.
*/}}
{{- define "switchboard.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag | toString) }}
{{- end }}

{{/*
"true" when the chart's own Secret holds the datasource password (given inline, no existing Secret).
*/}}
{{- define "switchboard.inlineDatasourcePassword" -}}
{{- if and .Values.datasource.password (not .Values.datasource.existingSecret) }}true{{ end }}
{{- end }}

{{/*
"true" when the chart's own Secret holds the bootstrap admin password.
*/}}
{{- define "switchboard.inlineAdminPassword" -}}
{{- if and .Values.bootstrapAdmin.password (not .Values.bootstrapAdmin.existingSecret) }}true{{ end }}
{{- end }}

{{/*
"true" when the chart creates its own Secret.
*/}}
{{- define "switchboard.createSecret" -}}
{{- if or (include "switchboard.inlineDatasourcePassword" .) (include "switchboard.inlineAdminPassword" .) }}true{{ end }}
{{- end }}

{{/*
"true" when some Redis is configured (a URI value or an existing Secret).
*/}}
{{- define "switchboard.redisConfigured" -}}
{{- if or .Values.redis.hosts .Values.redis.existingSecret }}true{{ end }}
{{- end }}

{{/*
Largest number of pods that may run at once (rolling updates aside).
*/}}
{{- define "switchboard.maxReplicas" -}}
{{- if .Values.autoscaling.enabled }}{{ .Values.autoscaling.maxReplicas | int }}{{ else }}{{ .Values.replicaCount | int }}{{ end }}
{{- end }}

{{/*
"true" when the JWT public key is mounted as a file.
*/}}
{{- define "switchboard.jwtKeyMounted" -}}
{{- $k := .Values.jwt.publicKey }}
{{- if or $k.pem $k.existingConfigMap $k.existingSecret }}true{{ end }}
{{- end }}

{{/*
The public key location given to MP_JWT_VERIFY_PUBLICKEY_LOCATION ("" when none).
*/}}
{{- define "switchboard.jwtKeyLocation" -}}
{{- if include "switchboard.jwtKeyMounted" . }}
{{- printf "%s/%s" (trimSuffix "/" .Values.jwt.publicKey.mountPath) .Values.jwt.publicKey.key }}
{{- else }}
{{- .Values.jwt.publicKeyLocation }}
{{- end }}
{{- end }}

{{/*
The location of the mounted signing key ("" when none).
*/}}
{{- define "switchboard.signKeyLocation" -}}
{{- with .Values.jwt.signKey }}
{{- if .existingSecret }}
{{- printf "%s/%s" (trimSuffix "/" .mountPath) .key }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Checks of values that would otherwise fail at run time; called from the Deployment.
*/}}
{{- define "switchboard.validate" -}}
{{- $maxReplicas := include "switchboard.maxReplicas" . | int }}
{{- if and (gt $maxReplicas 1) (not (include "switchboard.redisConfigured" .)) }}
{{- fail (printf "up to %d replicas without Redis: more than one replica needs the Redis backplane, or a message sent on one replica never reaches clients connected to another. Set redis.hosts (or redis.existingSecret), or run one replica (replicaCount: 1, autoscaling.enabled: false)." $maxReplicas) }}
{{- end }}
{{- if and .Values.bootstrapAdmin.username (not (or .Values.bootstrapAdmin.password .Values.bootstrapAdmin.existingSecret)) }}
{{- fail "bootstrapAdmin.username is set without a password: set bootstrapAdmin.existingSecret (or bootstrapAdmin.password)" }}
{{- end }}
{{- if and .Values.bootstrapAdmin.username (not .Values.bootstrapAdmin.tenant) }}
{{- fail "bootstrapAdmin.username is set without bootstrapAdmin.tenant" }}
{{- end }}
{{- $k := .Values.jwt.publicKey }}
{{- $sources := 0 }}
{{- range (list $k.pem $k.existingConfigMap $k.existingSecret) }}{{ if . }}{{ $sources = add1 $sources }}{{ end }}{{ end }}
{{- if gt $sources 1 }}
{{- fail "jwt.publicKey: set only one of pem, existingConfigMap, existingSecret" }}
{{- end }}
{{- if and (gt $sources 0) .Values.jwt.publicKeyLocation }}
{{- fail "jwt: set either publicKeyLocation or publicKey.* (a mounted PEM), not both" }}
{{- end }}
{{- $stop := add (.Values.preStop.sleepSeconds | int) (.Values.shutdown.delaySeconds | int) (mul 2 (.Values.shutdown.timeoutSeconds | int)) }}
{{- if le (.Values.terminationGracePeriodSeconds | int) $stop }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed preStop.sleepSeconds + shutdown.delaySeconds + 2 x shutdown.timeoutSeconds (%d): the hub connections and then the REST requests each get up to the timeout" (.Values.terminationGracePeriodSeconds | int) $stop) }}
{{- end }}
{{- if not (has .Values.service.sessionAffinity (list "None" "ClientIP")) }}
{{- fail "service.sessionAffinity must be None or ClientIP" }}
{{- end }}
{{- end }}
