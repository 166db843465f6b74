// https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface RoutingPolicyConfig extends cdktf.TerraformMetaArguments {
  /**
  * Name, unique within its scope: letters, digits, ".", "-" and "_".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy#name RoutingPolicy#name}
  */
  readonly name: string;
  /**
  * team: a node of team_id's routing tree, which receives the alerts labelled with that team. organization: a node of the organization fallback tree (org admins only; leave team_id unset), which receives the alerts no team policy takes and may name any team's channels. One of: team, organization.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy#scope RoutingPolicy#scope}
  */
  readonly scope?: string;
  /**
  * Id of the owning team; required with scope "team", unset with scope "organization".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy#team_id RoutingPolicy#team_id}
  */
  readonly teamId?: string;
  /**
  * Id of the parent routing policy; absent for a root policy.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy#parent_id RoutingPolicy#parent_id}
  */
  readonly parentId?: string;
  /**
  * Siblings are tried in ascending priority. Defaults to 100.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy#priority RoutingPolicy#priority}
  */
  readonly priority?: number;
  /**
  * Channels notified of the alerts this policy takes; empty inherits the parent's. A team policy names only its team's channels.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy#channel_ids RoutingPolicy#channel_ids}
  */
  readonly channelIds?: string[];
  /**
  * Alert labels whose values make one notification group; ["..."] groups by every label. Empty inherits the parent's (default ["alertname", "service"]).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy#group_by RoutingPolicy#group_by}
  */
  readonly groupBy?: string[];
  /**
  * Wait before the first notification of a new group; unset inherits the parent's (default "1s"). A duration such as "30s", "5m", "1h30m".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy#group_wait RoutingPolicy#group_wait}
  */
  readonly groupWait?: string;
  /**
  * Wait before notifying about changes in a group already notified; unset inherits the parent's (default "5m"). A duration such as "30s", "5m", "1h30m".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy#group_interval RoutingPolicy#group_interval}
  */
  readonly groupInterval?: string;
  /**
  * Wait before repeating a notification for a still-firing group; unset inherits the parent's (default "4h"). A duration such as "30s", "5m", "1h30m".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy#repeat_interval RoutingPolicy#repeat_interval}
  */
  readonly repeatInterval?: string;
  /**
  * Keep matching siblings after this policy matched. Defaults to false.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy#continue RoutingPolicy#continue}
  */
  readonly continue?: boolean | cdktf.IResolvable;
  /**
  * Maintenance windows used as time intervals: while one runs, this route sends nothing. Empty inherits the parent's.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy#mute_time_window_ids RoutingPolicy#mute_time_window_ids}
  */
  readonly muteTimeWindowIds?: string[];
  /**
  * Send one informational notice (severity info) when the team's services are impacted by an incident whose root cause another team owns, while their own pages are held back. Unset inherits the parent's (default false).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy#impact_notices RoutingPolicy#impact_notices}
  */
  readonly impactNotices?: boolean | cdktf.IResolvable;
  /**
  * matcher block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy#matcher RoutingPolicy#matcher}
  */
  readonly matcher?: RoutingPolicyMatcher[] | cdktf.IResolvable;
}
export interface RoutingPolicyMatcher {
  /**
  * Alert label the matcher reads.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy#label RoutingPolicy#label}
  */
  readonly label: string;
  /**
  * "=~" and "!~" take a regular expression matched against the whole value. One of: =, !=, =~, !~.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy#operator RoutingPolicy#operator}
  */
  readonly operator: string;
  /**
  * Value (or regular expression for =~ and !~) to compare the label with.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy#value RoutingPolicy#value}
  */
  readonly value: string;
}

export function routingPolicyMatcherToTerraform(struct?: RoutingPolicyMatcher | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    label: cdktf.stringToTerraform(struct!.label),
    operator: cdktf.stringToTerraform(struct!.operator),
    value: cdktf.stringToTerraform(struct!.value),
  }
}


export function routingPolicyMatcherToHclTerraform(struct?: RoutingPolicyMatcher | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    label: {
      value: cdktf.stringToHclTerraform(struct!.label),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    operator: {
      value: cdktf.stringToHclTerraform(struct!.operator),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    value: {
      value: cdktf.stringToHclTerraform(struct!.value),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class RoutingPolicyMatcherOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): RoutingPolicyMatcher | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._label !== undefined) {
      hasAnyValues = true;
      internalValueResult.label = this._label;
    }
    if (this._operator !== undefined) {
      hasAnyValues = true;
      internalValueResult.operator = this._operator;
    }
    if (this._value !== undefined) {
      hasAnyValues = true;
      internalValueResult.value = this._value;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: RoutingPolicyMatcher | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._label = undefined;
      this._operator = undefined;
      this._value = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._label = value.label;
      this._operator = value.operator;
      this._value = value.value;
    }
  }

  // label - computed: false, optional: false, required: true
  private _label?: string; 
  public get label() {
    return this.getStringAttribute('label');
  }
  public set label(value: string) {
    this._label = value;
  }
  // Temporarily expose input value. Use with caution.
  public get labelInput() {
    return this._label;
  }

  // operator - computed: false, optional: false, required: true
  private _operator?: string; 
  public get operator() {
    return this.getStringAttribute('operator');
  }
  public set operator(value: string) {
    this._operator = value;
  }
  // Temporarily expose input value. Use with caution.
  public get operatorInput() {
    return this._operator;
  }

  // value - computed: false, optional: false, required: true
  private _value?: string; 
  public get value() {
    return this.getStringAttribute('value');
  }
  public set value(value: string) {
    this._value = value;
  }
  // Temporarily expose input value. Use with caution.
  public get valueInput() {
    return this._value;
  }
}

export class RoutingPolicyMatcherList extends cdktf.ComplexList {
  public internalValue? : RoutingPolicyMatcher[] | cdktf.IResolvable

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(protected terraformResource: cdktf.IInterpolatingParent, protected terraformAttribute: string, protected wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet)
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): RoutingPolicyMatcherOutputReference {
    return new RoutingPolicyMatcherOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}

/**
* Represents a {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy pharos_routing_policy}
*/
export class RoutingPolicy extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "pharos_routing_policy";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a RoutingPolicy resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the RoutingPolicy to import
  * @param importFromId The id of the existing RoutingPolicy that should be imported. Refer to the {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the RoutingPolicy to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "pharos_routing_policy", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/routing_policy pharos_routing_policy} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options RoutingPolicyConfig
  */
  public constructor(scope: Construct, id: string, config: RoutingPolicyConfig) {
    super(scope, id, {
      terraformResourceType: 'pharos_routing_policy',
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
    this._scope = config.scope;
    this._teamId = config.teamId;
    this._parentId = config.parentId;
    this._priority = config.priority;
    this._channelIds = config.channelIds;
    this._groupBy = config.groupBy;
    this._groupWait = config.groupWait;
    this._groupInterval = config.groupInterval;
    this._repeatInterval = config.repeatInterval;
    this._continue = config.continue;
    this._muteTimeWindowIds = config.muteTimeWindowIds;
    this._impactNotices = config.impactNotices;
    this._matcher.internalValue = config.matcher;
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

  // scope - computed: true, optional: true, required: false
  private _scope?: string; 
  public get scope() {
    return this.getStringAttribute('scope');
  }
  public set scope(value: string) {
    this._scope = value;
  }
  public resetScope() {
    this._scope = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get scopeInput() {
    return this._scope;
  }

  // team_id - computed: false, optional: true, required: false
  private _teamId?: string; 
  public get teamId() {
    return this.getStringAttribute('team_id');
  }
  public set teamId(value: string) {
    this._teamId = value;
  }
  public resetTeamId() {
    this._teamId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get teamIdInput() {
    return this._teamId;
  }

  // parent_id - computed: false, optional: true, required: false
  private _parentId?: string; 
  public get parentId() {
    return this.getStringAttribute('parent_id');
  }
  public set parentId(value: string) {
    this._parentId = value;
  }
  public resetParentId() {
    this._parentId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get parentIdInput() {
    return this._parentId;
  }

  // priority - computed: true, optional: true, required: false
  private _priority?: number; 
  public get priority() {
    return this.getNumberAttribute('priority');
  }
  public set priority(value: number) {
    this._priority = value;
  }
  public resetPriority() {
    this._priority = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get priorityInput() {
    return this._priority;
  }

  // channel_ids - computed: true, optional: true, required: false
  private _channelIds?: string[]; 
  public get channelIds() {
    return this.getListAttribute('channel_ids');
  }
  public set channelIds(value: string[]) {
    this._channelIds = value;
  }
  public resetChannelIds() {
    this._channelIds = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get channelIdsInput() {
    return this._channelIds;
  }

  // group_by - computed: true, optional: true, required: false
  private _groupBy?: string[]; 
  public get groupBy() {
    return this.getListAttribute('group_by');
  }
  public set groupBy(value: string[]) {
    this._groupBy = value;
  }
  public resetGroupBy() {
    this._groupBy = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get groupByInput() {
    return this._groupBy;
  }

  // group_wait - computed: false, optional: true, required: false
  private _groupWait?: string; 
  public get groupWait() {
    return this.getStringAttribute('group_wait');
  }
  public set groupWait(value: string) {
    this._groupWait = value;
  }
  public resetGroupWait() {
    this._groupWait = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get groupWaitInput() {
    return this._groupWait;
  }

  // group_interval - computed: false, optional: true, required: false
  private _groupInterval?: string; 
  public get groupInterval() {
    return this.getStringAttribute('group_interval');
  }
  public set groupInterval(value: string) {
    this._groupInterval = value;
  }
  public resetGroupInterval() {
    this._groupInterval = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get groupIntervalInput() {
    return this._groupInterval;
  }

  // repeat_interval - computed: false, optional: true, required: false
  private _repeatInterval?: string; 
  public get repeatInterval() {
    return this.getStringAttribute('repeat_interval');
  }
  public set repeatInterval(value: string) {
    this._repeatInterval = value;
  }
  public resetRepeatInterval() {
    this._repeatInterval = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get repeatIntervalInput() {
    return this._repeatInterval;
  }

  // continue - computed: true, optional: true, required: false
  private _continue?: boolean | cdktf.IResolvable; 
  public get continue() {
    return this.getBooleanAttribute('continue');
  }
  public set continue(value: boolean | cdktf.IResolvable) {
    this._continue = value;
  }
  public resetContinue() {
    this._continue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get continueInput() {
    return this._continue;
  }

  // mute_time_window_ids - computed: true, optional: true, required: false
  private _muteTimeWindowIds?: string[]; 
  public get muteTimeWindowIds() {
    return this.getListAttribute('mute_time_window_ids');
  }
  public set muteTimeWindowIds(value: string[]) {
    this._muteTimeWindowIds = value;
  }
  public resetMuteTimeWindowIds() {
    this._muteTimeWindowIds = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get muteTimeWindowIdsInput() {
    return this._muteTimeWindowIds;
  }

  // impact_notices - computed: false, optional: true, required: false
  private _impactNotices?: boolean | cdktf.IResolvable; 
  public get impactNotices() {
    return this.getBooleanAttribute('impact_notices');
  }
  public set impactNotices(value: boolean | cdktf.IResolvable) {
    this._impactNotices = value;
  }
  public resetImpactNotices() {
    this._impactNotices = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get impactNoticesInput() {
    return this._impactNotices;
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

  // matcher - computed: false, optional: true, required: false
  private _matcher = new RoutingPolicyMatcherList(this, "matcher", false);
  public get matcher() {
    return this._matcher;
  }
  public putMatcher(value: RoutingPolicyMatcher[] | cdktf.IResolvable) {
    this._matcher.internalValue = value;
  }
  public resetMatcher() {
    this._matcher.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get matcherInput() {
    return this._matcher.internalValue;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      name: cdktf.stringToTerraform(this._name),
      scope: cdktf.stringToTerraform(this._scope),
      team_id: cdktf.stringToTerraform(this._teamId),
      parent_id: cdktf.stringToTerraform(this._parentId),
      priority: cdktf.numberToTerraform(this._priority),
      channel_ids: cdktf.listMapper(cdktf.stringToTerraform, false)(this._channelIds),
      group_by: cdktf.listMapper(cdktf.stringToTerraform, false)(this._groupBy),
      group_wait: cdktf.stringToTerraform(this._groupWait),
      group_interval: cdktf.stringToTerraform(this._groupInterval),
      repeat_interval: cdktf.stringToTerraform(this._repeatInterval),
      continue: cdktf.booleanToTerraform(this._continue),
      mute_time_window_ids: cdktf.listMapper(cdktf.stringToTerraform, false)(this._muteTimeWindowIds),
      impact_notices: cdktf.booleanToTerraform(this._impactNotices),
      matcher: cdktf.listMapper(routingPolicyMatcherToTerraform, true)(this._matcher.internalValue),
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
      scope: {
        value: cdktf.stringToHclTerraform(this._scope),
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
      parent_id: {
        value: cdktf.stringToHclTerraform(this._parentId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      priority: {
        value: cdktf.numberToHclTerraform(this._priority),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      channel_ids: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._channelIds),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
      group_by: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._groupBy),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
      group_wait: {
        value: cdktf.stringToHclTerraform(this._groupWait),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      group_interval: {
        value: cdktf.stringToHclTerraform(this._groupInterval),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      repeat_interval: {
        value: cdktf.stringToHclTerraform(this._repeatInterval),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      continue: {
        value: cdktf.booleanToHclTerraform(this._continue),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      mute_time_window_ids: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._muteTimeWindowIds),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
      impact_notices: {
        value: cdktf.booleanToHclTerraform(this._impactNotices),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      matcher: {
        value: cdktf.listMapperHcl(routingPolicyMatcherToHclTerraform, true)(this._matcher.internalValue),
        isBlock: true,
        type: "list",
        storageClassType: "RoutingPolicyMatcherList",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
