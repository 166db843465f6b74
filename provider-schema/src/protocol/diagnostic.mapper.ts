import type { AttributePath } from '../engine/attribute-path.model.ts';
import type { Diagnostic } from '../engine/diagnostics.model.ts';

export interface ProtoDiagnostic {
  severity: 'ERROR' | 'WARNING';
  summary: string;
  detail: string;
  attribute?: { steps: ProtoStep[] };
}

type ProtoStep = { attribute_name: string } | { element_key_string: string } | { element_key_int: number };

/** Engine diagnostics → tfplugin6.Diagnostic (with attribute paths so Terraform can point at the config line). */
export function toProtoDiagnostics(items: readonly Diagnostic[]): ProtoDiagnostic[] {
  return items.map((d) => {
    const out: ProtoDiagnostic = { severity: d.severity === 'error' ? 'ERROR' : 'WARNING', summary: d.summary, detail: d.detail };
    if (d.path && d.path.length > 0) out.attribute = toProtoPath(d.path);
    return out;
  });
}

/** AttributePath → tfplugin6.AttributePath. */
export function toProtoPath(path: AttributePath): { steps: ProtoStep[] } {
  return {
    steps: path.map((s) => ('attribute' in s ? { attribute_name: s.attribute } : 'key' in s ? { element_key_string: s.key } : { element_key_int: s.index })),
  };
}
