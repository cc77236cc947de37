{{- define "bulk-loader.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "bulk-loader.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "bulk-loader.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bulk-loader.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "bulk-loader.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "bulk-loader.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "bulk-loader.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "bulk-loader.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "bulk-loader.apiKeysSecretName" -}}
{{- default (printf "%s-api-keys" (include "bulk-loader.fullname" .)) .Values.security.apiKeysSecret -}}
{{- end -}}

{{- define "bulk-loader.secretName" -}}
{{- default (printf "%s-db" (include "bulk-loader.fullname" .)) .Values.database.existingSecret -}}
{{- end -}}
