import type { CtyType } from '../codec/cty-type.model.ts';

/** Provider source address the whole schema document is keyed by. */
export const providerAddress = 'registry.terraform.io/pharos/pharos';

/** The shape printed by `terraform providers schema -json`; schema/*.json files use it verbatim. */
export interface SchemaDocument {
  format_version: string;
  provider_schemas: Record<string, ProviderSchemas>;
}

export interface ProviderSchemas {
  provider?: SchemaJson;
  resource_schemas?: Record<string, SchemaJson>;
  data_source_schemas?: Record<string, SchemaJson>;
}

export interface SchemaJson {
  version: number;
  block: BlockJson;
}

export type DescriptionKind = 'plain' | 'markdown';

export interface BlockJson {
  attributes?: Record<string, AttributeJson>;
  block_types?: Record<string, NestedBlockJson>;
  description?: string;
  description_kind?: DescriptionKind;
  deprecated?: boolean;
}

export interface AttributeJson {
  type?: CtyType;
  nested_type?: NestedTypeJson;
  description?: string;
  description_kind?: DescriptionKind;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  deprecated?: boolean;
  write_only?: boolean;
}

export interface NestedTypeJson {
  attributes: Record<string, AttributeJson>;
  nesting_mode: 'single' | 'list' | 'set' | 'map';
}

export interface NestedBlockJson {
  nesting_mode: 'single' | 'list' | 'set' | 'map' | 'group';
  block: BlockJson;
  min_items?: number;
  max_items?: number;
}

/**
 * Behaviour the JSON schema shape cannot express, kept in a side-table per resource
 * (files shaped `{"resource_behaviours": {...}}` next to the schema files).
 * Paths are dotted attribute names through single blocks / objects, e.g. "settings.region".
 */
export interface ResourceBehaviour {
  /** Changing any of these plans a replacement instead of an in-place update. */
  replace_on_change?: string[];
  /**
   * Values planned for Optional+Computed attributes left out of the configuration. Dotted keys
   * reach into nested blocks by block name ("http.method", "assertion.severity" for every element).
   */
  defaults?: Record<string, unknown>;
  /** Computed attributes that change on every update (e.g. updated_at): planned unknown on update. */
  unknown_on_update?: string[];
  /**
   * Attributes the API accepts but never returns (secrets): reads keep the prior value.
   * Dotted paths reach into single nested blocks ("slack.webhook_url"). Sensitive, non-computed
   * attributes (top-level or inside single nested blocks) are preserved without being listed.
   */
  preserve_on_read?: string[];
}

export interface BehaviourDocument {
  resource_behaviours: Record<string, ResourceBehaviour>;
}
