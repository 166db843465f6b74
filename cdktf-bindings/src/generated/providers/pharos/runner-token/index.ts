// https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/runner_token
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface RunnerTokenConfig extends cdktf.TerraformMetaArguments {
  /**
  * Name of the token (e.g. the runner pool): letters, digits, ".", "-" and "_".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/runner_token#name RunnerToken#name}
  */
  readonly name: string;
  /**
  * Region the runners using this token run in.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/runner_token#region RunnerToken#region}
  */
  readonly region: string;
  /**
  * Labels of the runners using this token (e.g. zone); monitors select runners with run_from. Defaults to {}.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/runner_token#labels RunnerToken#labels}
  */
  readonly labels?: { [key: string]: string };
  /**
  * Runners whose labels include "zone" run only monitors of that zone (run_from.zone); true lets them also run monitors that name no zone (the general pool of the region). Defaults to false.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/runner_token#serves_general_pool RunnerToken#serves_general_pool}
  */
  readonly servesGeneralPool?: boolean | cdktf.IResolvable;
}

/**
* Represents a {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/runner_token pharos_runner_token}
*/
export class RunnerToken extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "pharos_runner_token";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a RunnerToken resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the RunnerToken to import
  * @param importFromId The id of the existing RunnerToken that should be imported. Refer to the {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/runner_token#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the RunnerToken to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "pharos_runner_token", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/runner_token pharos_runner_token} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options RunnerTokenConfig
  */
  public constructor(scope: Construct, id: string, config: RunnerTokenConfig) {
    super(scope, id, {
      terraformResourceType: 'pharos_runner_token',
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
    this._name = config.name;
    this._region = config.region;
    this._labels = config.labels;
    this._servesGeneralPool = config.servesGeneralPool;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // name - computed: false, optional: false, required: true
  private _name?: string; 
  public get name() {
    return this.getStringAttribute('name');
  }
  public set name(value: string) {
    this._name = value;
  }
  // Temporarily expose input value. Use with caution.
  public get nameInput() {
    return this._name;
  }

  // region - computed: false, optional: false, required: true
  private _region?: string; 
  public get region() {
    return this.getStringAttribute('region');
  }
  public set region(value: string) {
    this._region = value;
  }
  // Temporarily expose input value. Use with caution.
  public get regionInput() {
    return this._region;
  }

  // labels - computed: true, optional: true, required: false
  private _labels?: { [key: string]: string }; 
  public get labels() {
    return this.getStringMapAttribute('labels');
  }
  public set labels(value: { [key: string]: string }) {
    this._labels = value;
  }
  public resetLabels() {
    this._labels = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get labelsInput() {
    return this._labels;
  }

  // serves_general_pool - computed: true, optional: true, required: false
  private _servesGeneralPool?: boolean | cdktf.IResolvable; 
  public get servesGeneralPool() {
    return this.getBooleanAttribute('serves_general_pool');
  }
  public set servesGeneralPool(value: boolean | cdktf.IResolvable) {
    this._servesGeneralPool = value;
  }
  public resetServesGeneralPool() {
    this._servesGeneralPool = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get servesGeneralPoolInput() {
    return this._servesGeneralPool;
  }

  // created_at - computed: true, optional: false, required: false
  public get createdAt() {
    return this.getStringAttribute('created_at');
  }

  // updated_at - computed: true, optional: false, required: false
  public get updatedAt() {
    return this.getStringAttribute('updated_at');
  }

  // version - computed: true, optional: false, required: false
  public get version() {
    return this.getNumberAttribute('version');
  }

  // token - computed: true, optional: false, required: false
  public get token() {
    return this.getStringAttribute('token');
  }

  // token_hint - computed: true, optional: false, required: false
  public get tokenHint() {
    return this.getStringAttribute('token_hint');
  }

  // last_used_at - computed: true, optional: false, required: false
  public get lastUsedAt() {
    return this.getStringAttribute('last_used_at');
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
      name: cdktf.stringToTerraform(this._name),
      region: cdktf.stringToTerraform(this._region),
      labels: cdktf.hashMapper(cdktf.stringToTerraform)(this._labels),
      serves_general_pool: cdktf.booleanToTerraform(this._servesGeneralPool),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      name: {
        value: cdktf.stringToHclTerraform(this._name),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      region: {
        value: cdktf.stringToHclTerraform(this._region),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      labels: {
        value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(this._labels),
        isBlock: false,
        type: "map",
        storageClassType: "stringMap",
      },
      serves_general_pool: {
        value: cdktf.booleanToHclTerraform(this._servesGeneralPool),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
