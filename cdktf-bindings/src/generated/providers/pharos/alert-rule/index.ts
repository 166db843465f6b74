// https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/alert_rule
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface AlertRuleConfig extends cdktf.TerraformMetaArguments {
  /**
  * Name, unique within its scope: letters, digits, ".", "-" and "_".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/alert_rule#name AlertRule#name}
  */
  readonly name: string;
  /**
  * Id of the owning team.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/alert_rule#team_id AlertRule#team_id}
  */
  readonly teamId: string;
  /**
  * Condition in the Pharos alert language (docs/alert-language.md) over states and measurements of the team's monitors, services and SLOs, e.g. down(service("checkout")) or p95(monitor("api"), "5m") > 2000. Syntax and types are checked at plan; names are resolved within the rule's team at apply.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/alert_rule#expression AlertRule#expression}
  */
  readonly expression: string;
  /**
  * How long the expression must hold before the alert fires; "0s" fires at once. A duration such as "30s", "5m", "1h30m".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/alert_rule#for_duration AlertRule#for_duration}
  */
  readonly forDuration?: string;
  /**
  * How long a firing alert keeps firing after its expression turned false, against flapping; "0s" resolves at once. A duration such as "30s", "5m", "1h30m".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/alert_rule#keep_firing_for AlertRule#keep_firing_for}
  */
  readonly keepFiringFor?: string;
  /**
  * While the expression lacks data: keep_last keeps the alert as it is (until no_data_timeout), ok counts it as false, alerting as true. One of: keep_last, ok, alerting. Defaults to "keep_last".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/alert_rule#no_data AlertRule#no_data}
  */
  readonly noData?: string;
  /**
  * With no_data = keep_last: after this long without data a pending alert goes back to inactive and a firing one resolves; default "15m". A duration such as "30s", "5m", "1h30m".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/alert_rule#no_data_timeout AlertRule#no_data_timeout}
  */
  readonly noDataTimeout?: string;
  /**
  * Severity of the alert, used in routing and notifications. One of: critical, error, warning, info. Defaults to "error".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/alert_rule#severity AlertRule#severity}
  */
  readonly severity?: string;
  /**
  * Key/value labels. Keys: letters, digits and "_ . : / -", at most 63 characters; values at most 255.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/alert_rule#labels AlertRule#labels}
  */
  readonly labels?: { [key: string]: string };
  /**
  * Link to the runbook.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/alert_rule#runbook_url AlertRule#runbook_url}
  */
  readonly runbookUrl?: string;
  /**
  * Notification text, a logic-less template: {{labels.<key>}}, {{value}}, {{runbook_url}}, {{severity}}, {{alertname}}, {{state}}, {{starts_at}}. An unclosed tag or an unknown variable is refused at plan with its line and column.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/alert_rule#message AlertRule#message}
  */
  readonly message?: string;
  /**
  * A disabled rule is not evaluated. Defaults to true.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/alert_rule#enabled AlertRule#enabled}
  */
  readonly enabled?: boolean | cdktf.IResolvable;
}

/**
* Represents a {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/alert_rule pharos_alert_rule}
*/
export class AlertRule extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "pharos_alert_rule";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a AlertRule resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the AlertRule to import
  * @param importFromId The id of the existing AlertRule that should be imported. Refer to the {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/alert_rule#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the AlertRule to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "pharos_alert_rule", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/alert_rule pharos_alert_rule} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options AlertRuleConfig
  */
  public constructor(scope: Construct, id: string, config: AlertRuleConfig) {
    super(scope, id, {
      terraformResourceType: 'pharos_alert_rule',
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
    this._teamId = config.teamId;
    this._expression = config.expression;
    this._forDuration = config.forDuration;
    this._keepFiringFor = config.keepFiringFor;
    this._noData = config.noData;
    this._noDataTimeout = config.noDataTimeout;
    this._severity = config.severity;
    this._labels = config.labels;
    this._runbookUrl = config.runbookUrl;
    this._message = config.message;
    this._enabled = config.enabled;
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

  // team_id - computed: false, optional: false, required: true
  private _teamId?: string; 
  public get teamId() {
    return this.getStringAttribute('team_id');
  }
  public set teamId(value: string) {
    this._teamId = value;
  }
  // Temporarily expose input value. Use with caution.
  public get teamIdInput() {
    return this._teamId;
  }

  // expression - computed: false, optional: false, required: true
  private _expression?: string; 
  public get expression() {
    return this.getStringAttribute('expression');
  }
  public set expression(value: string) {
    this._expression = value;
  }
  // Temporarily expose input value. Use with caution.
  public get expressionInput() {
    return this._expression;
  }

  // for_duration - computed: false, optional: true, required: false
  private _forDuration?: string; 
  public get forDuration() {
    return this.getStringAttribute('for_duration');
  }
  public set forDuration(value: string) {
    this._forDuration = value;
  }
  public resetForDuration() {
    this._forDuration = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get forDurationInput() {
    return this._forDuration;
  }

  // keep_firing_for - computed: false, optional: true, required: false
  private _keepFiringFor?: string; 
  public get keepFiringFor() {
    return this.getStringAttribute('keep_firing_for');
  }
  public set keepFiringFor(value: string) {
    this._keepFiringFor = value;
  }
  public resetKeepFiringFor() {
    this._keepFiringFor = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get keepFiringForInput() {
    return this._keepFiringFor;
  }

  // no_data - computed: true, optional: true, required: false
  private _noData?: string; 
  public get noData() {
    return this.getStringAttribute('no_data');
  }
  public set noData(value: string) {
    this._noData = value;
  }
  public resetNoData() {
    this._noData = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get noDataInput() {
    return this._noData;
  }

  // no_data_timeout - computed: false, optional: true, required: false
  private _noDataTimeout?: string; 
  public get noDataTimeout() {
    return this.getStringAttribute('no_data_timeout');
  }
  public set noDataTimeout(value: string) {
    this._noDataTimeout = value;
  }
  public resetNoDataTimeout() {
    this._noDataTimeout = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get noDataTimeoutInput() {
    return this._noDataTimeout;
  }

  // severity - computed: true, optional: true, required: false
  private _severity?: string; 
  public get severity() {
    return this.getStringAttribute('severity');
  }
  public set severity(value: string) {
    this._severity = value;
  }
  public resetSeverity() {
    this._severity = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get severityInput() {
    return this._severity;
  }

  // labels - computed: false, optional: true, required: false
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

  // runbook_url - computed: false, optional: true, required: false
  private _runbookUrl?: string; 
  public get runbookUrl() {
    return this.getStringAttribute('runbook_url');
  }
  public set runbookUrl(value: string) {
    this._runbookUrl = value;
  }
  public resetRunbookUrl() {
    this._runbookUrl = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get runbookUrlInput() {
    return this._runbookUrl;
  }

  // message - computed: false, optional: true, required: false
  private _message?: string; 
  public get message() {
    return this.getStringAttribute('message');
  }
  public set message(value: string) {
    this._message = value;
  }
  public resetMessage() {
    this._message = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get messageInput() {
    return this._message;
  }

  // enabled - computed: true, optional: true, required: false
  private _enabled?: boolean | cdktf.IResolvable; 
  public get enabled() {
    return this.getBooleanAttribute('enabled');
  }
  public set enabled(value: boolean | cdktf.IResolvable) {
    this._enabled = value;
  }
  public resetEnabled() {
    this._enabled = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get enabledInput() {
    return this._enabled;
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
      team_id: cdktf.stringToTerraform(this._teamId),
      expression: cdktf.stringToTerraform(this._expression),
      for_duration: cdktf.stringToTerraform(this._forDuration),
      keep_firing_for: cdktf.stringToTerraform(this._keepFiringFor),
      no_data: cdktf.stringToTerraform(this._noData),
      no_data_timeout: cdktf.stringToTerraform(this._noDataTimeout),
      severity: cdktf.stringToTerraform(this._severity),
      labels: cdktf.hashMapper(cdktf.stringToTerraform)(this._labels),
      runbook_url: cdktf.stringToTerraform(this._runbookUrl),
      message: cdktf.stringToTerraform(this._message),
      enabled: cdktf.booleanToTerraform(this._enabled),
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
      team_id: {
        value: cdktf.stringToHclTerraform(this._teamId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      expression: {
        value: cdktf.stringToHclTerraform(this._expression),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      for_duration: {
        value: cdktf.stringToHclTerraform(this._forDuration),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      keep_firing_for: {
        value: cdktf.stringToHclTerraform(this._keepFiringFor),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      no_data: {
        value: cdktf.stringToHclTerraform(this._noData),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      no_data_timeout: {
        value: cdktf.stringToHclTerraform(this._noDataTimeout),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      severity: {
        value: cdktf.stringToHclTerraform(this._severity),
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
      runbook_url: {
        value: cdktf.stringToHclTerraform(this._runbookUrl),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      message: {
        value: cdktf.stringToHclTerraform(this._message),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      enabled: {
        value: cdktf.booleanToHclTerraform(this._enabled),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
