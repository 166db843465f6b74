/**
 * cdktf 0.21's generator declares a `single` nested block whose attributes are all required as a
 * required property of the configuration (`readonly tcp: MonitorTcp;`), although Terraform treats
 * a single block as optional unless its schema says `min_items: 1` (resource-parser.js, the
 * workaround for cdktf issue #3570). Every monitor would then need a `tcp { … }` block. Only the
 * TypeScript type is wrong, the synthesized JSON is not, so the generated property is made optional.
 */
import { toPascalCase } from 'codemaker';
import type { BlockJson, SchemaDocument } from '../../provider-schema/src/schema/schema-document.model.ts';

/** A generated configuration property to make optional: `readonly <property>: <struct>;`. */
export interface SingleBlockFix {
  /** Terraform type and block path, for messages, e.g. `pharos_monitor.tcp`. */
  readonly where: string;
  readonly property: string;
  readonly struct: string;
}

/** Single blocks that are optional in Terraform but required in cdktf's types, for every resource and data source. */
export function singleBlockFixes(doc: SchemaDocument, classNameOf: (terraformType: string) => string): SingleBlockFix[] {
  const fixes: SingleBlockFix[] = [];
  const visit = (block: BlockJson, where: string, structPrefix: string) => {
    for (const [name, nested] of Object.entries(block.block_types ?? {})) {
      const struct = structPrefix + toPascalCase(name);
      const attributes = Object.values(nested.block.attributes ?? {});
      const allRequired = attributes.every((a) => a.required);
      if (nested.nesting_mode === 'single' && allRequired && (nested.min_items ?? 0) < 1) {
        fixes.push({ where: `${where}.${name}`, property: toPascalCase(name).replace(/^./, (c) => c.toLowerCase()), struct });
      }
      visit(nested.block, `${where}.${name}`, struct);
    }
  };
  for (const schemas of Object.values(doc.provider_schemas)) {
    for (const [type, schema] of [...Object.entries(schemas.resource_schemas ?? {}), ...Object.entries(schemas.data_source_schemas ?? {})]) {
      visit(schema.block, type, classNameOf(type));
    }
  }
  return fixes;
}

/** Rewrites `readonly <property>: <struct>;` to `readonly <property>?: <struct>;`; returns the new source and how many changed. */
export function applySingleBlockFixes(source: string, fixes: readonly SingleBlockFix[]): { source: string; applied: SingleBlockFix[] } {
  const applied: SingleBlockFix[] = [];
  let out = source;
  for (const fix of fixes) {
    const required = `  readonly ${fix.property}: ${fix.struct};\n`;
    if (!out.includes(required)) continue;
    out = out.split(required).join(`  readonly ${fix.property}?: ${fix.struct};\n`);
    applied.push(fix);
  }
  return { source: out, applied };
}
