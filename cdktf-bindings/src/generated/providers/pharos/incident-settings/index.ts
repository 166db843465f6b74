// https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/incident_settings
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface IncidentSettingsConfig extends cdktf.TerraformMetaArguments {
  /**
  * Alerts on services or edges connected in the dependency graph that start within this many seconds of each other become one incident; 0 to 3600.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/incident_settings#correlation_window_seconds IncidentSettings#correlation_window_seconds}
  */
  readonly correlationWindowSeconds?: number;
  /**
  * An incident whose alerts all resolved moves to monitoring and resolves itself after resolve_after_seconds; false leaves it to be resolved by hand.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/incident_settings#auto_resolve IncidentSettings#auto_resolve}
  */
  readonly autoResolve?: boolean | cdktf.IResolvable;
  /**
  * Quiet time in monitoring before an incident resolves itself (a flap within it reopens the incident); 0 to 86400.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/incident_settings#resolve_after_seconds IncidentSettings#resolve_after_seconds}
  */
  readonly resolveAfterSeconds?: number;
  /**
  * How long a dependent's page is held waiting for the root cause's own alert to fire; after that it is sent; 0 to 3600.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/incident_settings#root_cause_grace_seconds IncidentSettings#root_cause_grace_seconds}
  */
  readonly rootCauseGraceSeconds?: number;
}

/**
* Represents a {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/incident_settings pharos_incident_settings}
*/
export class IncidentSettings extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "pharos_incident_settings";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a IncidentSettings resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the IncidentSettings to import
  * @param importFromId The id of the existing IncidentSettings that should be imported. Refer to the {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/incident_settings#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the IncidentSettings to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "pharos_incident_settings", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/incident_settings pharos_incident_settings} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options IncidentSettingsConfig = {}
  */
  public constructor(scope: Construct, id: string, config: IncidentSettingsConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'pharos_incident_settings',
      terraformGeneratorMetadata: {
        providerName: 'pharos',
        providerVersionConstraint: '~> 0.1'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._correlationWindowSeconds = config.correlationWindowSeconds;
    this._autoResolve = config.autoResolve;
    this._resolveAfterSeconds = config.resolveAfterSeconds;
    this._rootCauseGraceSeconds = config.rootCauseGraceSeconds;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // correlation_window_seconds - computed: true, optional: true, required: false
  private _correlationWindowSeconds?: number; 
  public get correlationWindowSeconds() {
    return this.getNumberAttribute('correlation_window_seconds');
  }
  public set correlationWindowSeconds(value: number) {
    this._correlationWindowSeconds = value;
  }
  public resetCorrelationWindowSeconds() {
    this._correlationWindowSeconds = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get correlationWindowSecondsInput() {
    return this._correlationWindowSeconds;
  }

  // auto_resolve - computed: true, optional: true, required: false
  private _autoResolve?: boolean | cdktf.IResolvable; 
  public get autoResolve() {
    return this.getBooleanAttribute('auto_resolve');
  }
  public set autoResolve(value: boolean | cdktf.IResolvable) {
    this._autoResolve = value;
  }
  public resetAutoResolve() {
    this._autoResolve = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get autoResolveInput() {
    return this._autoResolve;
  }

  // resolve_after_seconds - computed: true, optional: true, required: false
  private _resolveAfterSeconds?: number; 
  public get resolveAfterSeconds() {
    return this.getNumberAttribute('resolve_after_seconds');
  }
  public set resolveAfterSeconds(value: number) {
    this._resolveAfterSeconds = value;
  }
  public resetResolveAfterSeconds() {
    this._resolveAfterSeconds = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get resolveAfterSecondsInput() {
    return this._resolveAfterSeconds;
  }

  // root_cause_grace_seconds - computed: true, optional: true, required: false
  private _rootCauseGraceSeconds?: number; 
  public get rootCauseGraceSeconds() {
    return this.getNumberAttribute('root_cause_grace_seconds');
  }
  public set rootCauseGraceSeconds(value: number) {
    this._rootCauseGraceSeconds = value;
  }
  public resetRootCauseGraceSeconds() {
    this._rootCauseGraceSeconds = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get rootCauseGraceSecondsInput() {
    return this._rootCauseGraceSeconds;
  }

  // updated_at - computed: true, optional: false, required: false
  public get updatedAt() {
    return this.getStringAttribute('updated_at');
  }

  // version - computed: true, optional: false, required: false
  public get version() {
    return this.getNumberAttribute('version');
  }

  // managed_by - computed: true, optional: false, required: false
  public get managedBy() {
    return this.getStringAttribute('managed_by');
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      correlation_window_seconds: cdktf.numberToTerraform(this._correlationWindowSeconds),
      auto_resolve: cdktf.booleanToTerraform(this._autoResolve),
      resolve_after_seconds: cdktf.numberToTerraform(this._resolveAfterSeconds),
      root_cause_grace_seconds: cdktf.numberToTerraform(this._rootCauseGraceSeconds),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      correlation_window_seconds: {
        value: cdktf.numberToHclTerraform(this._correlationWindowSeconds),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      auto_resolve: {
        value: cdktf.booleanToHclTerraform(this._autoResolve),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      resolve_after_seconds: {
        value: cdktf.numberToHclTerraform(this._resolveAfterSeconds),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      root_cause_grace_seconds: {
        value: cdktf.numberToHclTerraform(this._rootCauseGraceSeconds),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
