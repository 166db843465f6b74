// https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface MonitorConfig extends cdktf.TerraformMetaArguments {
  /**
  * Monitor name, unique within its service: letters, digits, ".", "-" and "_".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#name Monitor#name}
  */
  readonly name: string;
  /**
  * Id of the service the monitor belongs to; the monitor is owned by that service's team.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#service_id Monitor#service_id}
  */
  readonly serviceId: string;
  /**
  * Id of the dependency edge this monitor checks ("can this service reach the one it depends on, from its zone"): an edge of this monitor's own service, e.g. pharos_service_dependency.x.id. Its results give the edge its state (and count toward the service's). Unset: a monitor of the service alone.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#dependency_id Monitor#dependency_id}
  */
  readonly dependencyId?: string;
  /**
  * Type; each type has its own nested block of the same name. One of: http, tcp, dns, tls, multistep, heartbeat.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#type Monitor#type}
  */
  readonly type: string;
  /**
  * Free text, at most 1000 characters.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#description Monitor#description}
  */
  readonly description?: string;
  /**
  * A disabled monitor is not run and its state is unknown. Defaults to true.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#enabled Monitor#enabled}
  */
  readonly enabled?: boolean | cdktf.IResolvable;
  /**
  * Seconds between checks, 5 s to 24 h. Defaults to 60.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#interval_seconds Monitor#interval_seconds}
  */
  readonly intervalSeconds?: number;
  /**
  * Per-check time budget; must be below the interval. Defaults to 10.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#timeout_seconds Monitor#timeout_seconds}
  */
  readonly timeoutSeconds?: number;
  /**
  * Regions to run from; empty means every region with live runners.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#regions Monitor#regions}
  */
  readonly regions?: string[];
  /**
  * Consecutive failures before a region is down. Defaults to 2.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#failure_threshold Monitor#failure_threshold}
  */
  readonly failureThreshold?: number;
  /**
  * Consecutive successes before a region is up again. Defaults to 1.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#recovery_threshold Monitor#recovery_threshold}
  */
  readonly recoveryThreshold?: number;
  /**
  * A passing check slower than this many milliseconds counts as degraded.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#degraded_threshold_ms Monitor#degraded_threshold_ms}
  */
  readonly degradedThresholdMs?: number;
  /**
  * Regions that must be down for the monitor to be down. Defaults to 1.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#min_failed_regions Monitor#min_failed_regions}
  */
  readonly minFailedRegions?: number;
  /**
  * Key/value labels. Keys: letters, digits and "_ . : / -", at most 63 characters; values at most 255.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#tags Monitor#tags}
  */
  readonly tags?: { [key: string]: string };
  /**
  * run_from block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#run_from Monitor#run_from}
  */
  readonly runFrom?: MonitorRunFrom;
  /**
  * http block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#http Monitor#http}
  */
  readonly http?: MonitorHttp;
  /**
  * tcp block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#tcp Monitor#tcp}
  */
  readonly tcp?: MonitorTcp;
  /**
  * dns block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#dns Monitor#dns}
  */
  readonly dns?: MonitorDns;
  /**
  * tls block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#tls Monitor#tls}
  */
  readonly tls?: MonitorTls;
  /**
  * step block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#step Monitor#step}
  */
  readonly step?: MonitorStep[] | cdktf.IResolvable;
  /**
  * heartbeat block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#heartbeat Monitor#heartbeat}
  */
  readonly heartbeat?: MonitorHeartbeat;
  /**
  * assertion block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#assertion Monitor#assertion}
  */
  readonly assertion?: MonitorAssertion[] | cdktf.IResolvable;
}
export interface MonitorRunFrom {
  /**
  * Only runners labelled with this zone run the monitor.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#zone Monitor#zone}
  */
  readonly zone?: string;
  /**
  * Only runners carrying all of these labels run the monitor.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#labels Monitor#labels}
  */
  readonly labels?: { [key: string]: string };
}

export function monitorRunFromToTerraform(struct?: MonitorRunFrom | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    zone: cdktf.stringToTerraform(struct!.zone),
    labels: cdktf.hashMapper(cdktf.stringToTerraform)(struct!.labels),
  }
}


export function monitorRunFromToHclTerraform(struct?: MonitorRunFrom | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    zone: {
      value: cdktf.stringToHclTerraform(struct!.zone),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    labels: {
      value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(struct!.labels),
      isBlock: false,
      type: "map",
      storageClassType: "stringMap",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MonitorRunFromOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): MonitorRunFrom | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._zone !== undefined) {
      hasAnyValues = true;
      internalValueResult.zone = this._zone;
    }
    if (this._labels !== undefined) {
      hasAnyValues = true;
      internalValueResult.labels = this._labels;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MonitorRunFrom | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._zone = undefined;
      this._labels = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._zone = value.zone;
      this._labels = value.labels;
    }
  }

  // zone - computed: false, optional: true, required: false
  private _zone?: string; 
  public get zone() {
    return this.getStringAttribute('zone');
  }
  public set zone(value: string) {
    this._zone = value;
  }
  public resetZone() {
    this._zone = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get zoneInput() {
    return this._zone;
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
}
export interface MonitorHttpMetric {
  /**
  * Metric name, unique within the monitor: 1 to 63 lower-case letters, digits and "_", starting with a letter, e.g. "utilization_pct". Alert rules refer to it as metric(monitor("…"), "name").
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#name Monitor#name}
  */
  readonly name: string;
  /**
  * JSONPath to one value of the JSON response body, e.g. "$.pool.utilization_pct". Numbers, numeric strings and booleans (1/0) are recorded; anything else leaves the metric absent for that check (never failing it).
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#path Monitor#path}
  */
  readonly path: string;
}

export function monitorHttpMetricToTerraform(struct?: MonitorHttpMetric | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    name: cdktf.stringToTerraform(struct!.name),
    path: cdktf.stringToTerraform(struct!.path),
  }
}


export function monitorHttpMetricToHclTerraform(struct?: MonitorHttpMetric | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    name: {
      value: cdktf.stringToHclTerraform(struct!.name),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    path: {
      value: cdktf.stringToHclTerraform(struct!.path),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MonitorHttpMetricOutputReference extends cdktf.ComplexObject {
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

  public get internalValue(): MonitorHttpMetric | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._name !== undefined) {
      hasAnyValues = true;
      internalValueResult.name = this._name;
    }
    if (this._path !== undefined) {
      hasAnyValues = true;
      internalValueResult.path = this._path;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MonitorHttpMetric | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._name = undefined;
      this._path = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._name = value.name;
      this._path = value.path;
    }
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

  // path - computed: false, optional: false, required: true
  private _path?: string; 
  public get path() {
    return this.getStringAttribute('path');
  }
  public set path(value: string) {
    this._path = value;
  }
  // Temporarily expose input value. Use with caution.
  public get pathInput() {
    return this._path;
  }
}

export class MonitorHttpMetricList extends cdktf.ComplexList {
  public internalValue? : MonitorHttpMetric[] | cdktf.IResolvable

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
  public get(index: number): MonitorHttpMetricOutputReference {
    return new MonitorHttpMetricOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}
export interface MonitorHttp {
  /**
  * HTTP method. One of: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS. Defaults to "GET".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#method Monitor#method}
  */
  readonly method?: string;
  /**
  * Absolute http:// or https:// URL.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#url Monitor#url}
  */
  readonly url: string;
  /**
  * Request headers, name to value.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#headers Monitor#headers}
  */
  readonly headers?: { [key: string]: string };
  /**
  * Write-only request headers for credentials (Authorization, API keys, cookies), name to value. Sent by the runner that owns the monitor, never returned by the API (configured_secrets lists their names); Terraform keeps the configured values. Credential headers (authorization, proxy-authorization, cookie, x-api-key, x-auth-token) belong here, not in headers.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#secret_headers Monitor#secret_headers}
  */
  readonly secretHeaders?: { [key: string]: string };
  /**
  * Request body sent as is.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#body Monitor#body}
  */
  readonly body?: string;
  /**
  * Follow 3xx redirects. Defaults to true.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#follow_redirects Monitor#follow_redirects}
  */
  readonly followRedirects?: boolean | cdktf.IResolvable;
  /**
  * Maximum number of redirects followed. Defaults to 5.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#max_redirects Monitor#max_redirects}
  */
  readonly maxRedirects?: number;
  /**
  * Verify the server certificate chain and host name. Defaults to true.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#verify_tls Monitor#verify_tls}
  */
  readonly verifyTls?: boolean | cdktf.IResolvable;
  /**
  * Bytes of the response body read for assertions; the rest is discarded. Defaults to 1048576.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#max_body_bytes Monitor#max_body_bytes}
  */
  readonly maxBodyBytes?: number;
  /**
  * metric block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#metric Monitor#metric}
  */
  readonly metric?: MonitorHttpMetric[] | cdktf.IResolvable;
}

export function monitorHttpToTerraform(struct?: MonitorHttp | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    method: cdktf.stringToTerraform(struct!.method),
    url: cdktf.stringToTerraform(struct!.url),
    headers: cdktf.hashMapper(cdktf.stringToTerraform)(struct!.headers),
    secret_headers: cdktf.hashMapper(cdktf.stringToTerraform)(struct!.secretHeaders),
    body: cdktf.stringToTerraform(struct!.body),
    follow_redirects: cdktf.booleanToTerraform(struct!.followRedirects),
    max_redirects: cdktf.numberToTerraform(struct!.maxRedirects),
    verify_tls: cdktf.booleanToTerraform(struct!.verifyTls),
    max_body_bytes: cdktf.numberToTerraform(struct!.maxBodyBytes),
    metric: cdktf.listMapper(monitorHttpMetricToTerraform, true)(struct!.metric),
  }
}


export function monitorHttpToHclTerraform(struct?: MonitorHttp | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    method: {
      value: cdktf.stringToHclTerraform(struct!.method),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    url: {
      value: cdktf.stringToHclTerraform(struct!.url),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    headers: {
      value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(struct!.headers),
      isBlock: false,
      type: "map",
      storageClassType: "stringMap",
    },
    secret_headers: {
      value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(struct!.secretHeaders),
      isBlock: false,
      type: "map",
      storageClassType: "stringMap",
    },
    body: {
      value: cdktf.stringToHclTerraform(struct!.body),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    follow_redirects: {
      value: cdktf.booleanToHclTerraform(struct!.followRedirects),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    max_redirects: {
      value: cdktf.numberToHclTerraform(struct!.maxRedirects),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    verify_tls: {
      value: cdktf.booleanToHclTerraform(struct!.verifyTls),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    max_body_bytes: {
      value: cdktf.numberToHclTerraform(struct!.maxBodyBytes),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    metric: {
      value: cdktf.listMapperHcl(monitorHttpMetricToHclTerraform, true)(struct!.metric),
      isBlock: true,
      type: "list",
      storageClassType: "MonitorHttpMetricList",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MonitorHttpOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): MonitorHttp | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._method !== undefined) {
      hasAnyValues = true;
      internalValueResult.method = this._method;
    }
    if (this._url !== undefined) {
      hasAnyValues = true;
      internalValueResult.url = this._url;
    }
    if (this._headers !== undefined) {
      hasAnyValues = true;
      internalValueResult.headers = this._headers;
    }
    if (this._secretHeaders !== undefined) {
      hasAnyValues = true;
      internalValueResult.secretHeaders = this._secretHeaders;
    }
    if (this._body !== undefined) {
      hasAnyValues = true;
      internalValueResult.body = this._body;
    }
    if (this._followRedirects !== undefined) {
      hasAnyValues = true;
      internalValueResult.followRedirects = this._followRedirects;
    }
    if (this._maxRedirects !== undefined) {
      hasAnyValues = true;
      internalValueResult.maxRedirects = this._maxRedirects;
    }
    if (this._verifyTls !== undefined) {
      hasAnyValues = true;
      internalValueResult.verifyTls = this._verifyTls;
    }
    if (this._maxBodyBytes !== undefined) {
      hasAnyValues = true;
      internalValueResult.maxBodyBytes = this._maxBodyBytes;
    }
    if (this._metric?.internalValue !== undefined) {
      hasAnyValues = true;
      internalValueResult.metric = this._metric?.internalValue;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MonitorHttp | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._method = undefined;
      this._url = undefined;
      this._headers = undefined;
      this._secretHeaders = undefined;
      this._body = undefined;
      this._followRedirects = undefined;
      this._maxRedirects = undefined;
      this._verifyTls = undefined;
      this._maxBodyBytes = undefined;
      this._metric.internalValue = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._method = value.method;
      this._url = value.url;
      this._headers = value.headers;
      this._secretHeaders = value.secretHeaders;
      this._body = value.body;
      this._followRedirects = value.followRedirects;
      this._maxRedirects = value.maxRedirects;
      this._verifyTls = value.verifyTls;
      this._maxBodyBytes = value.maxBodyBytes;
      this._metric.internalValue = value.metric;
    }
  }

  // method - computed: true, optional: true, required: false
  private _method?: string; 
  public get method() {
    return this.getStringAttribute('method');
  }
  public set method(value: string) {
    this._method = value;
  }
  public resetMethod() {
    this._method = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get methodInput() {
    return this._method;
  }

  // url - computed: false, optional: false, required: true
  private _url?: string; 
  public get url() {
    return this.getStringAttribute('url');
  }
  public set url(value: string) {
    this._url = value;
  }
  // Temporarily expose input value. Use with caution.
  public get urlInput() {
    return this._url;
  }

  // headers - computed: false, optional: true, required: false
  private _headers?: { [key: string]: string }; 
  public get headers() {
    return this.getStringMapAttribute('headers');
  }
  public set headers(value: { [key: string]: string }) {
    this._headers = value;
  }
  public resetHeaders() {
    this._headers = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get headersInput() {
    return this._headers;
  }

  // secret_headers - computed: false, optional: true, required: false
  private _secretHeaders?: { [key: string]: string }; 
  public get secretHeaders() {
    return this.getStringMapAttribute('secret_headers');
  }
  public set secretHeaders(value: { [key: string]: string }) {
    this._secretHeaders = value;
  }
  public resetSecretHeaders() {
    this._secretHeaders = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get secretHeadersInput() {
    return this._secretHeaders;
  }

  // body - computed: false, optional: true, required: false
  private _body?: string; 
  public get body() {
    return this.getStringAttribute('body');
  }
  public set body(value: string) {
    this._body = value;
  }
  public resetBody() {
    this._body = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get bodyInput() {
    return this._body;
  }

  // follow_redirects - computed: true, optional: true, required: false
  private _followRedirects?: boolean | cdktf.IResolvable; 
  public get followRedirects() {
    return this.getBooleanAttribute('follow_redirects');
  }
  public set followRedirects(value: boolean | cdktf.IResolvable) {
    this._followRedirects = value;
  }
  public resetFollowRedirects() {
    this._followRedirects = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get followRedirectsInput() {
    return this._followRedirects;
  }

  // max_redirects - computed: true, optional: true, required: false
  private _maxRedirects?: number; 
  public get maxRedirects() {
    return this.getNumberAttribute('max_redirects');
  }
  public set maxRedirects(value: number) {
    this._maxRedirects = value;
  }
  public resetMaxRedirects() {
    this._maxRedirects = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get maxRedirectsInput() {
    return this._maxRedirects;
  }

  // verify_tls - computed: true, optional: true, required: false
  private _verifyTls?: boolean | cdktf.IResolvable; 
  public get verifyTls() {
    return this.getBooleanAttribute('verify_tls');
  }
  public set verifyTls(value: boolean | cdktf.IResolvable) {
    this._verifyTls = value;
  }
  public resetVerifyTls() {
    this._verifyTls = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get verifyTlsInput() {
    return this._verifyTls;
  }

  // max_body_bytes - computed: true, optional: true, required: false
  private _maxBodyBytes?: number; 
  public get maxBodyBytes() {
    return this.getNumberAttribute('max_body_bytes');
  }
  public set maxBodyBytes(value: number) {
    this._maxBodyBytes = value;
  }
  public resetMaxBodyBytes() {
    this._maxBodyBytes = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get maxBodyBytesInput() {
    return this._maxBodyBytes;
  }

  // metric - computed: false, optional: true, required: false
  private _metric = new MonitorHttpMetricList(this, "metric", false);
  public get metric() {
    return this._metric;
  }
  public putMetric(value: MonitorHttpMetric[] | cdktf.IResolvable) {
    this._metric.internalValue = value;
  }
  public resetMetric() {
    this._metric.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get metricInput() {
    return this._metric.internalValue;
  }
}
export interface MonitorTcp {
  /**
  * Host name or IP address.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#host Monitor#host}
  */
  readonly host: string;
  /**
  * TCP port.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#port Monitor#port}
  */
  readonly port: number;
}

export function monitorTcpToTerraform(struct?: MonitorTcp | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    host: cdktf.stringToTerraform(struct!.host),
    port: cdktf.numberToTerraform(struct!.port),
  }
}


export function monitorTcpToHclTerraform(struct?: MonitorTcp | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    host: {
      value: cdktf.stringToHclTerraform(struct!.host),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    port: {
      value: cdktf.numberToHclTerraform(struct!.port),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MonitorTcpOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): MonitorTcp | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._host !== undefined) {
      hasAnyValues = true;
      internalValueResult.host = this._host;
    }
    if (this._port !== undefined) {
      hasAnyValues = true;
      internalValueResult.port = this._port;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MonitorTcp | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._host = undefined;
      this._port = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._host = value.host;
      this._port = value.port;
    }
  }

  // host - computed: false, optional: false, required: true
  private _host?: string; 
  public get host() {
    return this.getStringAttribute('host');
  }
  public set host(value: string) {
    this._host = value;
  }
  // Temporarily expose input value. Use with caution.
  public get hostInput() {
    return this._host;
  }

  // port - computed: false, optional: false, required: true
  private _port?: number; 
  public get port() {
    return this.getNumberAttribute('port');
  }
  public set port(value: number) {
    this._port = value;
  }
  // Temporarily expose input value. Use with caution.
  public get portInput() {
    return this._port;
  }
}
export interface MonitorDns {
  /**
  * Name to resolve.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#hostname Monitor#hostname}
  */
  readonly hostname: string;
  /**
  * DNS record type to query. One of: A, AAAA, CNAME, TXT, MX. Defaults to "A".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#record_type Monitor#record_type}
  */
  readonly recordType?: string;
  /**
  * Resolver address "ip" or "ip:port"; the runner host resolver when absent.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#resolver Monitor#resolver}
  */
  readonly resolver?: string;
  /**
  * Every value must be among the answers.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#expected_values Monitor#expected_values}
  */
  readonly expectedValues?: string[];
}

export function monitorDnsToTerraform(struct?: MonitorDns | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    hostname: cdktf.stringToTerraform(struct!.hostname),
    record_type: cdktf.stringToTerraform(struct!.recordType),
    resolver: cdktf.stringToTerraform(struct!.resolver),
    expected_values: cdktf.listMapper(cdktf.stringToTerraform, false)(struct!.expectedValues),
  }
}


export function monitorDnsToHclTerraform(struct?: MonitorDns | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    hostname: {
      value: cdktf.stringToHclTerraform(struct!.hostname),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    record_type: {
      value: cdktf.stringToHclTerraform(struct!.recordType),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    resolver: {
      value: cdktf.stringToHclTerraform(struct!.resolver),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    expected_values: {
      value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(struct!.expectedValues),
      isBlock: false,
      type: "list",
      storageClassType: "stringList",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MonitorDnsOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): MonitorDns | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._hostname !== undefined) {
      hasAnyValues = true;
      internalValueResult.hostname = this._hostname;
    }
    if (this._recordType !== undefined) {
      hasAnyValues = true;
      internalValueResult.recordType = this._recordType;
    }
    if (this._resolver !== undefined) {
      hasAnyValues = true;
      internalValueResult.resolver = this._resolver;
    }
    if (this._expectedValues !== undefined) {
      hasAnyValues = true;
      internalValueResult.expectedValues = this._expectedValues;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MonitorDns | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._hostname = undefined;
      this._recordType = undefined;
      this._resolver = undefined;
      this._expectedValues = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._hostname = value.hostname;
      this._recordType = value.recordType;
      this._resolver = value.resolver;
      this._expectedValues = value.expectedValues;
    }
  }

  // hostname - computed: false, optional: false, required: true
  private _hostname?: string; 
  public get hostname() {
    return this.getStringAttribute('hostname');
  }
  public set hostname(value: string) {
    this._hostname = value;
  }
  // Temporarily expose input value. Use with caution.
  public get hostnameInput() {
    return this._hostname;
  }

  // record_type - computed: true, optional: true, required: false
  private _recordType?: string; 
  public get recordType() {
    return this.getStringAttribute('record_type');
  }
  public set recordType(value: string) {
    this._recordType = value;
  }
  public resetRecordType() {
    this._recordType = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get recordTypeInput() {
    return this._recordType;
  }

  // resolver - computed: false, optional: true, required: false
  private _resolver?: string; 
  public get resolver() {
    return this.getStringAttribute('resolver');
  }
  public set resolver(value: string) {
    this._resolver = value;
  }
  public resetResolver() {
    this._resolver = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get resolverInput() {
    return this._resolver;
  }

  // expected_values - computed: false, optional: true, required: false
  private _expectedValues?: string[]; 
  public get expectedValues() {
    return this.getListAttribute('expected_values');
  }
  public set expectedValues(value: string[]) {
    this._expectedValues = value;
  }
  public resetExpectedValues() {
    this._expectedValues = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get expectedValuesInput() {
    return this._expectedValues;
  }
}
export interface MonitorTls {
  /**
  * Host name or IP address.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#host Monitor#host}
  */
  readonly host: string;
  /**
  * TCP port. Defaults to 443.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#port Monitor#port}
  */
  readonly port?: number;
  /**
  * SNI name; defaults to host.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#servername Monitor#servername}
  */
  readonly servername?: string;
  /**
  * Degraded when the certificate expires within this many days. Defaults to 30.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#warn_days Monitor#warn_days}
  */
  readonly warnDays?: number;
  /**
  * Down when the certificate expires within this many days. Defaults to 7.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#fail_days Monitor#fail_days}
  */
  readonly failDays?: number;
  /**
  * Down when the chain does not verify or the host name does not match. Defaults to true.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#verify_chain Monitor#verify_chain}
  */
  readonly verifyChain?: boolean | cdktf.IResolvable;
}

export function monitorTlsToTerraform(struct?: MonitorTls | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    host: cdktf.stringToTerraform(struct!.host),
    port: cdktf.numberToTerraform(struct!.port),
    servername: cdktf.stringToTerraform(struct!.servername),
    warn_days: cdktf.numberToTerraform(struct!.warnDays),
    fail_days: cdktf.numberToTerraform(struct!.failDays),
    verify_chain: cdktf.booleanToTerraform(struct!.verifyChain),
  }
}


export function monitorTlsToHclTerraform(struct?: MonitorTls | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    host: {
      value: cdktf.stringToHclTerraform(struct!.host),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    port: {
      value: cdktf.numberToHclTerraform(struct!.port),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    servername: {
      value: cdktf.stringToHclTerraform(struct!.servername),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    warn_days: {
      value: cdktf.numberToHclTerraform(struct!.warnDays),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    fail_days: {
      value: cdktf.numberToHclTerraform(struct!.failDays),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    verify_chain: {
      value: cdktf.booleanToHclTerraform(struct!.verifyChain),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MonitorTlsOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): MonitorTls | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._host !== undefined) {
      hasAnyValues = true;
      internalValueResult.host = this._host;
    }
    if (this._port !== undefined) {
      hasAnyValues = true;
      internalValueResult.port = this._port;
    }
    if (this._servername !== undefined) {
      hasAnyValues = true;
      internalValueResult.servername = this._servername;
    }
    if (this._warnDays !== undefined) {
      hasAnyValues = true;
      internalValueResult.warnDays = this._warnDays;
    }
    if (this._failDays !== undefined) {
      hasAnyValues = true;
      internalValueResult.failDays = this._failDays;
    }
    if (this._verifyChain !== undefined) {
      hasAnyValues = true;
      internalValueResult.verifyChain = this._verifyChain;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MonitorTls | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._host = undefined;
      this._port = undefined;
      this._servername = undefined;
      this._warnDays = undefined;
      this._failDays = undefined;
      this._verifyChain = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._host = value.host;
      this._port = value.port;
      this._servername = value.servername;
      this._warnDays = value.warnDays;
      this._failDays = value.failDays;
      this._verifyChain = value.verifyChain;
    }
  }

  // host - computed: false, optional: false, required: true
  private _host?: string; 
  public get host() {
    return this.getStringAttribute('host');
  }
  public set host(value: string) {
    this._host = value;
  }
  // Temporarily expose input value. Use with caution.
  public get hostInput() {
    return this._host;
  }

  // port - computed: true, optional: true, required: false
  private _port?: number; 
  public get port() {
    return this.getNumberAttribute('port');
  }
  public set port(value: number) {
    this._port = value;
  }
  public resetPort() {
    this._port = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get portInput() {
    return this._port;
  }

  // servername - computed: false, optional: true, required: false
  private _servername?: string; 
  public get servername() {
    return this.getStringAttribute('servername');
  }
  public set servername(value: string) {
    this._servername = value;
  }
  public resetServername() {
    this._servername = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get servernameInput() {
    return this._servername;
  }

  // warn_days - computed: true, optional: true, required: false
  private _warnDays?: number; 
  public get warnDays() {
    return this.getNumberAttribute('warn_days');
  }
  public set warnDays(value: number) {
    this._warnDays = value;
  }
  public resetWarnDays() {
    this._warnDays = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get warnDaysInput() {
    return this._warnDays;
  }

  // fail_days - computed: true, optional: true, required: false
  private _failDays?: number; 
  public get failDays() {
    return this.getNumberAttribute('fail_days');
  }
  public set failDays(value: number) {
    this._failDays = value;
  }
  public resetFailDays() {
    this._failDays = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get failDaysInput() {
    return this._failDays;
  }

  // verify_chain - computed: true, optional: true, required: false
  private _verifyChain?: boolean | cdktf.IResolvable; 
  public get verifyChain() {
    return this.getBooleanAttribute('verify_chain');
  }
  public set verifyChain(value: boolean | cdktf.IResolvable) {
    this._verifyChain = value;
  }
  public resetVerifyChain() {
    this._verifyChain = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get verifyChainInput() {
    return this._verifyChain;
  }
}
export interface MonitorStepExtract {
  /**
  * Variable name, used later as {{name}}.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#name Monitor#name}
  */
  readonly name: string;
  /**
  * Where the value comes from. One of: json_body, header, body_regex.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#source Monitor#source}
  */
  readonly source: string;
  /**
  * JSONPath, header name, or a regular expression whose first group (or whole match) is taken.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#property Monitor#property}
  */
  readonly property: string;
}

export function monitorStepExtractToTerraform(struct?: MonitorStepExtract | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    name: cdktf.stringToTerraform(struct!.name),
    source: cdktf.stringToTerraform(struct!.source),
    property: cdktf.stringToTerraform(struct!.property),
  }
}


export function monitorStepExtractToHclTerraform(struct?: MonitorStepExtract | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    name: {
      value: cdktf.stringToHclTerraform(struct!.name),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    source: {
      value: cdktf.stringToHclTerraform(struct!.source),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    property: {
      value: cdktf.stringToHclTerraform(struct!.property),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MonitorStepExtractOutputReference extends cdktf.ComplexObject {
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

  public get internalValue(): MonitorStepExtract | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._name !== undefined) {
      hasAnyValues = true;
      internalValueResult.name = this._name;
    }
    if (this._source !== undefined) {
      hasAnyValues = true;
      internalValueResult.source = this._source;
    }
    if (this._property !== undefined) {
      hasAnyValues = true;
      internalValueResult.property = this._property;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MonitorStepExtract | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._name = undefined;
      this._source = undefined;
      this._property = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._name = value.name;
      this._source = value.source;
      this._property = value.property;
    }
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

  // source - computed: false, optional: false, required: true
  private _source?: string; 
  public get source() {
    return this.getStringAttribute('source');
  }
  public set source(value: string) {
    this._source = value;
  }
  // Temporarily expose input value. Use with caution.
  public get sourceInput() {
    return this._source;
  }

  // property - computed: false, optional: false, required: true
  private _property?: string; 
  public get property() {
    return this.getStringAttribute('property');
  }
  public set property(value: string) {
    this._property = value;
  }
  // Temporarily expose input value. Use with caution.
  public get propertyInput() {
    return this._property;
  }
}

export class MonitorStepExtractList extends cdktf.ComplexList {
  public internalValue? : MonitorStepExtract[] | cdktf.IResolvable

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
  public get(index: number): MonitorStepExtractOutputReference {
    return new MonitorStepExtractOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}
export interface MonitorStepAssertion {
  /**
  * What the assertion reads. One of: status_code, header, body, json_body, response_time.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#source Monitor#source}
  */
  readonly source: string;
  /**
  * Header name (source "header") or JSONPath expression (source "json_body", e.g. "$.status").
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#path Monitor#path}
  */
  readonly path?: string;
  /**
  * Comparison. "in_range" takes "200-299"; "one_of" takes a comma-separated list. One of: equals, not_equals, contains, not_contains, matches, not_matches, less_than, less_than_or_equal, greater_than, greater_than_or_equal, in_range, one_of, exists, not_exists.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#operator Monitor#operator}
  */
  readonly operator: string;
  /**
  * Expected value; numbers compare numerically. Not used by "exists"/"not_exists".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#target Monitor#target}
  */
  readonly target?: string;
  /**
  * What a failed assertion means for the result. One of: down, degraded. Defaults to "down".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#severity Monitor#severity}
  */
  readonly severity?: string;
}

export function monitorStepAssertionToTerraform(struct?: MonitorStepAssertion | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    source: cdktf.stringToTerraform(struct!.source),
    path: cdktf.stringToTerraform(struct!.path),
    operator: cdktf.stringToTerraform(struct!.operator),
    target: cdktf.stringToTerraform(struct!.target),
    severity: cdktf.stringToTerraform(struct!.severity),
  }
}


export function monitorStepAssertionToHclTerraform(struct?: MonitorStepAssertion | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    source: {
      value: cdktf.stringToHclTerraform(struct!.source),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    path: {
      value: cdktf.stringToHclTerraform(struct!.path),
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
    target: {
      value: cdktf.stringToHclTerraform(struct!.target),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    severity: {
      value: cdktf.stringToHclTerraform(struct!.severity),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MonitorStepAssertionOutputReference extends cdktf.ComplexObject {
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

  public get internalValue(): MonitorStepAssertion | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._source !== undefined) {
      hasAnyValues = true;
      internalValueResult.source = this._source;
    }
    if (this._path !== undefined) {
      hasAnyValues = true;
      internalValueResult.path = this._path;
    }
    if (this._operator !== undefined) {
      hasAnyValues = true;
      internalValueResult.operator = this._operator;
    }
    if (this._target !== undefined) {
      hasAnyValues = true;
      internalValueResult.target = this._target;
    }
    if (this._severity !== undefined) {
      hasAnyValues = true;
      internalValueResult.severity = this._severity;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MonitorStepAssertion | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._source = undefined;
      this._path = undefined;
      this._operator = undefined;
      this._target = undefined;
      this._severity = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._source = value.source;
      this._path = value.path;
      this._operator = value.operator;
      this._target = value.target;
      this._severity = value.severity;
    }
  }

  // source - computed: false, optional: false, required: true
  private _source?: string; 
  public get source() {
    return this.getStringAttribute('source');
  }
  public set source(value: string) {
    this._source = value;
  }
  // Temporarily expose input value. Use with caution.
  public get sourceInput() {
    return this._source;
  }

  // path - computed: false, optional: true, required: false
  private _path?: string; 
  public get path() {
    return this.getStringAttribute('path');
  }
  public set path(value: string) {
    this._path = value;
  }
  public resetPath() {
    this._path = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get pathInput() {
    return this._path;
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

  // target - computed: false, optional: true, required: false
  private _target?: string; 
  public get target() {
    return this.getStringAttribute('target');
  }
  public set target(value: string) {
    this._target = value;
  }
  public resetTarget() {
    this._target = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get targetInput() {
    return this._target;
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
}

export class MonitorStepAssertionList extends cdktf.ComplexList {
  public internalValue? : MonitorStepAssertion[] | cdktf.IResolvable

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
  public get(index: number): MonitorStepAssertionOutputReference {
    return new MonitorStepAssertionOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}
export interface MonitorStep {
  /**
  * Step name, unique within the monitor.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#name Monitor#name}
  */
  readonly name: string;
  /**
  * HTTP method. One of: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS. Defaults to "GET".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#method Monitor#method}
  */
  readonly method?: string;
  /**
  * URL; may use {{variables}} extracted by earlier steps.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#url Monitor#url}
  */
  readonly url: string;
  /**
  * Request headers, name to value.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#headers Monitor#headers}
  */
  readonly headers?: { [key: string]: string };
  /**
  * Write-only request headers for credentials (Authorization, API keys, cookies), name to value. May use {{variables}} of earlier steps. Sent by the runner that owns the monitor, never returned by the API (configured_secrets lists their names); Terraform keeps the configured values. Credential headers (authorization, proxy-authorization, cookie, x-api-key, x-auth-token) belong here, not in headers.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#secret_headers Monitor#secret_headers}
  */
  readonly secretHeaders?: { [key: string]: string };
  /**
  * Request body sent as is.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#body Monitor#body}
  */
  readonly body?: string;
  /**
  * Follow 3xx redirects. Defaults to true.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#follow_redirects Monitor#follow_redirects}
  */
  readonly followRedirects?: boolean | cdktf.IResolvable;
  /**
  * Verify the server certificate chain and host name. Defaults to true.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#verify_tls Monitor#verify_tls}
  */
  readonly verifyTls?: boolean | cdktf.IResolvable;
  /**
  * extract block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#extract Monitor#extract}
  */
  readonly extract?: MonitorStepExtract[] | cdktf.IResolvable;
  /**
  * assertion block
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#assertion Monitor#assertion}
  */
  readonly assertion?: MonitorStepAssertion[] | cdktf.IResolvable;
}

export function monitorStepToTerraform(struct?: MonitorStep | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    name: cdktf.stringToTerraform(struct!.name),
    method: cdktf.stringToTerraform(struct!.method),
    url: cdktf.stringToTerraform(struct!.url),
    headers: cdktf.hashMapper(cdktf.stringToTerraform)(struct!.headers),
    secret_headers: cdktf.hashMapper(cdktf.stringToTerraform)(struct!.secretHeaders),
    body: cdktf.stringToTerraform(struct!.body),
    follow_redirects: cdktf.booleanToTerraform(struct!.followRedirects),
    verify_tls: cdktf.booleanToTerraform(struct!.verifyTls),
    extract: cdktf.listMapper(monitorStepExtractToTerraform, true)(struct!.extract),
    assertion: cdktf.listMapper(monitorStepAssertionToTerraform, true)(struct!.assertion),
  }
}


export function monitorStepToHclTerraform(struct?: MonitorStep | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    name: {
      value: cdktf.stringToHclTerraform(struct!.name),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    method: {
      value: cdktf.stringToHclTerraform(struct!.method),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    url: {
      value: cdktf.stringToHclTerraform(struct!.url),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    headers: {
      value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(struct!.headers),
      isBlock: false,
      type: "map",
      storageClassType: "stringMap",
    },
    secret_headers: {
      value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(struct!.secretHeaders),
      isBlock: false,
      type: "map",
      storageClassType: "stringMap",
    },
    body: {
      value: cdktf.stringToHclTerraform(struct!.body),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    follow_redirects: {
      value: cdktf.booleanToHclTerraform(struct!.followRedirects),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    verify_tls: {
      value: cdktf.booleanToHclTerraform(struct!.verifyTls),
      isBlock: false,
      type: "simple",
      storageClassType: "boolean",
    },
    extract: {
      value: cdktf.listMapperHcl(monitorStepExtractToHclTerraform, true)(struct!.extract),
      isBlock: true,
      type: "list",
      storageClassType: "MonitorStepExtractList",
    },
    assertion: {
      value: cdktf.listMapperHcl(monitorStepAssertionToHclTerraform, true)(struct!.assertion),
      isBlock: true,
      type: "list",
      storageClassType: "MonitorStepAssertionList",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MonitorStepOutputReference extends cdktf.ComplexObject {
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

  public get internalValue(): MonitorStep | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._name !== undefined) {
      hasAnyValues = true;
      internalValueResult.name = this._name;
    }
    if (this._method !== undefined) {
      hasAnyValues = true;
      internalValueResult.method = this._method;
    }
    if (this._url !== undefined) {
      hasAnyValues = true;
      internalValueResult.url = this._url;
    }
    if (this._headers !== undefined) {
      hasAnyValues = true;
      internalValueResult.headers = this._headers;
    }
    if (this._secretHeaders !== undefined) {
      hasAnyValues = true;
      internalValueResult.secretHeaders = this._secretHeaders;
    }
    if (this._body !== undefined) {
      hasAnyValues = true;
      internalValueResult.body = this._body;
    }
    if (this._followRedirects !== undefined) {
      hasAnyValues = true;
      internalValueResult.followRedirects = this._followRedirects;
    }
    if (this._verifyTls !== undefined) {
      hasAnyValues = true;
      internalValueResult.verifyTls = this._verifyTls;
    }
    if (this._extract?.internalValue !== undefined) {
      hasAnyValues = true;
      internalValueResult.extract = this._extract?.internalValue;
    }
    if (this._assertion?.internalValue !== undefined) {
      hasAnyValues = true;
      internalValueResult.assertion = this._assertion?.internalValue;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MonitorStep | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._name = undefined;
      this._method = undefined;
      this._url = undefined;
      this._headers = undefined;
      this._secretHeaders = undefined;
      this._body = undefined;
      this._followRedirects = undefined;
      this._verifyTls = undefined;
      this._extract.internalValue = undefined;
      this._assertion.internalValue = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._name = value.name;
      this._method = value.method;
      this._url = value.url;
      this._headers = value.headers;
      this._secretHeaders = value.secretHeaders;
      this._body = value.body;
      this._followRedirects = value.followRedirects;
      this._verifyTls = value.verifyTls;
      this._extract.internalValue = value.extract;
      this._assertion.internalValue = value.assertion;
    }
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

  // method - computed: true, optional: true, required: false
  private _method?: string; 
  public get method() {
    return this.getStringAttribute('method');
  }
  public set method(value: string) {
    this._method = value;
  }
  public resetMethod() {
    this._method = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get methodInput() {
    return this._method;
  }

  // url - computed: false, optional: false, required: true
  private _url?: string; 
  public get url() {
    return this.getStringAttribute('url');
  }
  public set url(value: string) {
    this._url = value;
  }
  // Temporarily expose input value. Use with caution.
  public get urlInput() {
    return this._url;
  }

  // headers - computed: false, optional: true, required: false
  private _headers?: { [key: string]: string }; 
  public get headers() {
    return this.getStringMapAttribute('headers');
  }
  public set headers(value: { [key: string]: string }) {
    this._headers = value;
  }
  public resetHeaders() {
    this._headers = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get headersInput() {
    return this._headers;
  }

  // secret_headers - computed: false, optional: true, required: false
  private _secretHeaders?: { [key: string]: string }; 
  public get secretHeaders() {
    return this.getStringMapAttribute('secret_headers');
  }
  public set secretHeaders(value: { [key: string]: string }) {
    this._secretHeaders = value;
  }
  public resetSecretHeaders() {
    this._secretHeaders = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get secretHeadersInput() {
    return this._secretHeaders;
  }

  // body - computed: false, optional: true, required: false
  private _body?: string; 
  public get body() {
    return this.getStringAttribute('body');
  }
  public set body(value: string) {
    this._body = value;
  }
  public resetBody() {
    this._body = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get bodyInput() {
    return this._body;
  }

  // follow_redirects - computed: true, optional: true, required: false
  private _followRedirects?: boolean | cdktf.IResolvable; 
  public get followRedirects() {
    return this.getBooleanAttribute('follow_redirects');
  }
  public set followRedirects(value: boolean | cdktf.IResolvable) {
    this._followRedirects = value;
  }
  public resetFollowRedirects() {
    this._followRedirects = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get followRedirectsInput() {
    return this._followRedirects;
  }

  // verify_tls - computed: true, optional: true, required: false
  private _verifyTls?: boolean | cdktf.IResolvable; 
  public get verifyTls() {
    return this.getBooleanAttribute('verify_tls');
  }
  public set verifyTls(value: boolean | cdktf.IResolvable) {
    this._verifyTls = value;
  }
  public resetVerifyTls() {
    this._verifyTls = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get verifyTlsInput() {
    return this._verifyTls;
  }

  // extract - computed: false, optional: true, required: false
  private _extract = new MonitorStepExtractList(this, "extract", false);
  public get extract() {
    return this._extract;
  }
  public putExtract(value: MonitorStepExtract[] | cdktf.IResolvable) {
    this._extract.internalValue = value;
  }
  public resetExtract() {
    this._extract.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get extractInput() {
    return this._extract.internalValue;
  }

  // assertion - computed: false, optional: true, required: false
  private _assertion = new MonitorStepAssertionList(this, "assertion", false);
  public get assertion() {
    return this._assertion;
  }
  public putAssertion(value: MonitorStepAssertion[] | cdktf.IResolvable) {
    this._assertion.internalValue = value;
  }
  public resetAssertion() {
    this._assertion.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get assertionInput() {
    return this._assertion.internalValue;
  }
}

export class MonitorStepList extends cdktf.ComplexList {
  public internalValue? : MonitorStep[] | cdktf.IResolvable

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
  public get(index: number): MonitorStepOutputReference {
    return new MonitorStepOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}
export interface MonitorHeartbeat {
  /**
  * How often the job is expected to call in.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#period_seconds Monitor#period_seconds}
  */
  readonly periodSeconds: number;
  /**
  * Extra time allowed before the monitor goes down. Defaults to 60.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#grace_seconds Monitor#grace_seconds}
  */
  readonly graceSeconds?: number;
}

export function monitorHeartbeatToTerraform(struct?: MonitorHeartbeat | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    period_seconds: cdktf.numberToTerraform(struct!.periodSeconds),
    grace_seconds: cdktf.numberToTerraform(struct!.graceSeconds),
  }
}


export function monitorHeartbeatToHclTerraform(struct?: MonitorHeartbeat | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    period_seconds: {
      value: cdktf.numberToHclTerraform(struct!.periodSeconds),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
    grace_seconds: {
      value: cdktf.numberToHclTerraform(struct!.graceSeconds),
      isBlock: false,
      type: "simple",
      storageClassType: "number",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MonitorHeartbeatOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;
  private resolvableValue?: cdktf.IResolvable;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string) {
    super(terraformResource, terraformAttribute, false);
  }

  public get internalValue(): MonitorHeartbeat | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._periodSeconds !== undefined) {
      hasAnyValues = true;
      internalValueResult.periodSeconds = this._periodSeconds;
    }
    if (this._graceSeconds !== undefined) {
      hasAnyValues = true;
      internalValueResult.graceSeconds = this._graceSeconds;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MonitorHeartbeat | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._periodSeconds = undefined;
      this._graceSeconds = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._periodSeconds = value.periodSeconds;
      this._graceSeconds = value.graceSeconds;
    }
  }

  // period_seconds - computed: false, optional: false, required: true
  private _periodSeconds?: number; 
  public get periodSeconds() {
    return this.getNumberAttribute('period_seconds');
  }
  public set periodSeconds(value: number) {
    this._periodSeconds = value;
  }
  // Temporarily expose input value. Use with caution.
  public get periodSecondsInput() {
    return this._periodSeconds;
  }

  // grace_seconds - computed: true, optional: true, required: false
  private _graceSeconds?: number; 
  public get graceSeconds() {
    return this.getNumberAttribute('grace_seconds');
  }
  public set graceSeconds(value: number) {
    this._graceSeconds = value;
  }
  public resetGraceSeconds() {
    this._graceSeconds = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get graceSecondsInput() {
    return this._graceSeconds;
  }
}
export interface MonitorAssertion {
  /**
  * What the assertion reads. One of: status_code, header, body, json_body, response_time.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#source Monitor#source}
  */
  readonly source: string;
  /**
  * Header name (source "header") or JSONPath expression (source "json_body", e.g. "$.status").
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#path Monitor#path}
  */
  readonly path?: string;
  /**
  * Comparison. "in_range" takes "200-299"; "one_of" takes a comma-separated list. One of: equals, not_equals, contains, not_contains, matches, not_matches, less_than, less_than_or_equal, greater_than, greater_than_or_equal, in_range, one_of, exists, not_exists.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#operator Monitor#operator}
  */
  readonly operator: string;
  /**
  * Expected value; numbers compare numerically. Not used by "exists"/"not_exists".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#target Monitor#target}
  */
  readonly target?: string;
  /**
  * What a failed assertion means for the result. One of: down, degraded. Defaults to "down".
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#severity Monitor#severity}
  */
  readonly severity?: string;
}

export function monitorAssertionToTerraform(struct?: MonitorAssertion | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
    source: cdktf.stringToTerraform(struct!.source),
    path: cdktf.stringToTerraform(struct!.path),
    operator: cdktf.stringToTerraform(struct!.operator),
    target: cdktf.stringToTerraform(struct!.target),
    severity: cdktf.stringToTerraform(struct!.severity),
  }
}


export function monitorAssertionToHclTerraform(struct?: MonitorAssertion | cdktf.IResolvable): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
    source: {
      value: cdktf.stringToHclTerraform(struct!.source),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    path: {
      value: cdktf.stringToHclTerraform(struct!.path),
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
    target: {
      value: cdktf.stringToHclTerraform(struct!.target),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
    severity: {
      value: cdktf.stringToHclTerraform(struct!.severity),
      isBlock: false,
      type: "simple",
      storageClassType: "string",
    },
  };

  // remove undefined attributes
  return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined));
}

export class MonitorAssertionOutputReference extends cdktf.ComplexObject {
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

  public get internalValue(): MonitorAssertion | cdktf.IResolvable | undefined {
    if (this.resolvableValue) {
      return this.resolvableValue;
    }
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    if (this._source !== undefined) {
      hasAnyValues = true;
      internalValueResult.source = this._source;
    }
    if (this._path !== undefined) {
      hasAnyValues = true;
      internalValueResult.path = this._path;
    }
    if (this._operator !== undefined) {
      hasAnyValues = true;
      internalValueResult.operator = this._operator;
    }
    if (this._target !== undefined) {
      hasAnyValues = true;
      internalValueResult.target = this._target;
    }
    if (this._severity !== undefined) {
      hasAnyValues = true;
      internalValueResult.severity = this._severity;
    }
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: MonitorAssertion | cdktf.IResolvable | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
      this.resolvableValue = undefined;
      this._source = undefined;
      this._path = undefined;
      this._operator = undefined;
      this._target = undefined;
      this._severity = undefined;
    }
    else if (cdktf.Tokenization.isResolvable(value)) {
      this.isEmptyObject = false;
      this.resolvableValue = value;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
      this.resolvableValue = undefined;
      this._source = value.source;
      this._path = value.path;
      this._operator = value.operator;
      this._target = value.target;
      this._severity = value.severity;
    }
  }

  // source - computed: false, optional: false, required: true
  private _source?: string; 
  public get source() {
    return this.getStringAttribute('source');
  }
  public set source(value: string) {
    this._source = value;
  }
  // Temporarily expose input value. Use with caution.
  public get sourceInput() {
    return this._source;
  }

  // path - computed: false, optional: true, required: false
  private _path?: string; 
  public get path() {
    return this.getStringAttribute('path');
  }
  public set path(value: string) {
    this._path = value;
  }
  public resetPath() {
    this._path = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get pathInput() {
    return this._path;
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

  // target - computed: false, optional: true, required: false
  private _target?: string; 
  public get target() {
    return this.getStringAttribute('target');
  }
  public set target(value: string) {
    this._target = value;
  }
  public resetTarget() {
    this._target = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get targetInput() {
    return this._target;
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
}

export class MonitorAssertionList extends cdktf.ComplexList {
  public internalValue? : MonitorAssertion[] | cdktf.IResolvable

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
  public get(index: number): MonitorAssertionOutputReference {
    return new MonitorAssertionOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}

/**
* Represents a {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor pharos_monitor}
*/
export class Monitor extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "pharos_monitor";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a Monitor resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the Monitor to import
  * @param importFromId The id of the existing Monitor that should be imported. Refer to the {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the Monitor to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "pharos_monitor", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/pharos/pharos/latest/docs/resources/monitor pharos_monitor} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options MonitorConfig
  */
  public constructor(scope: Construct, id: string, config: MonitorConfig) {
    super(scope, id, {
      terraformResourceType: 'pharos_monitor',
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
    this._serviceId = config.serviceId;
    this._dependencyId = config.dependencyId;
    this._type = config.type;
    this._description = config.description;
    this._enabled = config.enabled;
    this._intervalSeconds = config.intervalSeconds;
    this._timeoutSeconds = config.timeoutSeconds;
    this._regions = config.regions;
    this._failureThreshold = config.failureThreshold;
    this._recoveryThreshold = config.recoveryThreshold;
    this._degradedThresholdMs = config.degradedThresholdMs;
    this._minFailedRegions = config.minFailedRegions;
    this._tags = config.tags;
    this._runFrom.internalValue = config.runFrom;
    this._http.internalValue = config.http;
    this._tcp.internalValue = config.tcp;
    this._dns.internalValue = config.dns;
    this._tls.internalValue = config.tls;
    this._step.internalValue = config.step;
    this._heartbeat.internalValue = config.heartbeat;
    this._assertion.internalValue = config.assertion;
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

  // service_id - computed: false, optional: false, required: true
  private _serviceId?: string; 
  public get serviceId() {
    return this.getStringAttribute('service_id');
  }
  public set serviceId(value: string) {
    this._serviceId = value;
  }
  // Temporarily expose input value. Use with caution.
  public get serviceIdInput() {
    return this._serviceId;
  }

  // dependency_id - computed: false, optional: true, required: false
  private _dependencyId?: string; 
  public get dependencyId() {
    return this.getStringAttribute('dependency_id');
  }
  public set dependencyId(value: string) {
    this._dependencyId = value;
  }
  public resetDependencyId() {
    this._dependencyId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get dependencyIdInput() {
    return this._dependencyId;
  }

  // type - computed: false, optional: false, required: true
  private _type?: string; 
  public get type() {
    return this.getStringAttribute('type');
  }
  public set type(value: string) {
    this._type = value;
  }
  // Temporarily expose input value. Use with caution.
  public get typeInput() {
    return this._type;
  }

  // description - computed: false, optional: true, required: false
  private _description?: string; 
  public get description() {
    return this.getStringAttribute('description');
  }
  public set description(value: string) {
    this._description = value;
  }
  public resetDescription() {
    this._description = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get descriptionInput() {
    return this._description;
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

  // interval_seconds - computed: true, optional: true, required: false
  private _intervalSeconds?: number; 
  public get intervalSeconds() {
    return this.getNumberAttribute('interval_seconds');
  }
  public set intervalSeconds(value: number) {
    this._intervalSeconds = value;
  }
  public resetIntervalSeconds() {
    this._intervalSeconds = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get intervalSecondsInput() {
    return this._intervalSeconds;
  }

  // timeout_seconds - computed: true, optional: true, required: false
  private _timeoutSeconds?: number; 
  public get timeoutSeconds() {
    return this.getNumberAttribute('timeout_seconds');
  }
  public set timeoutSeconds(value: number) {
    this._timeoutSeconds = value;
  }
  public resetTimeoutSeconds() {
    this._timeoutSeconds = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get timeoutSecondsInput() {
    return this._timeoutSeconds;
  }

  // regions - computed: true, optional: true, required: false
  private _regions?: string[]; 
  public get regions() {
    return this.getListAttribute('regions');
  }
  public set regions(value: string[]) {
    this._regions = value;
  }
  public resetRegions() {
    this._regions = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get regionsInput() {
    return this._regions;
  }

  // failure_threshold - computed: true, optional: true, required: false
  private _failureThreshold?: number; 
  public get failureThreshold() {
    return this.getNumberAttribute('failure_threshold');
  }
  public set failureThreshold(value: number) {
    this._failureThreshold = value;
  }
  public resetFailureThreshold() {
    this._failureThreshold = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get failureThresholdInput() {
    return this._failureThreshold;
  }

  // recovery_threshold - computed: true, optional: true, required: false
  private _recoveryThreshold?: number; 
  public get recoveryThreshold() {
    return this.getNumberAttribute('recovery_threshold');
  }
  public set recoveryThreshold(value: number) {
    this._recoveryThreshold = value;
  }
  public resetRecoveryThreshold() {
    this._recoveryThreshold = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get recoveryThresholdInput() {
    return this._recoveryThreshold;
  }

  // degraded_threshold_ms - computed: false, optional: true, required: false
  private _degradedThresholdMs?: number; 
  public get degradedThresholdMs() {
    return this.getNumberAttribute('degraded_threshold_ms');
  }
  public set degradedThresholdMs(value: number) {
    this._degradedThresholdMs = value;
  }
  public resetDegradedThresholdMs() {
    this._degradedThresholdMs = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get degradedThresholdMsInput() {
    return this._degradedThresholdMs;
  }

  // min_failed_regions - computed: true, optional: true, required: false
  private _minFailedRegions?: number; 
  public get minFailedRegions() {
    return this.getNumberAttribute('min_failed_regions');
  }
  public set minFailedRegions(value: number) {
    this._minFailedRegions = value;
  }
  public resetMinFailedRegions() {
    this._minFailedRegions = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get minFailedRegionsInput() {
    return this._minFailedRegions;
  }

  // tags - computed: false, optional: true, required: false
  private _tags?: { [key: string]: string }; 
  public get tags() {
    return this.getStringMapAttribute('tags');
  }
  public set tags(value: { [key: string]: string }) {
    this._tags = value;
  }
  public resetTags() {
    this._tags = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get tagsInput() {
    return this._tags;
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

  // team_id - computed: true, optional: false, required: false
  public get teamId() {
    return this.getStringAttribute('team_id');
  }

  // heartbeat_url - computed: true, optional: false, required: false
  public get heartbeatUrl() {
    return this.getStringAttribute('heartbeat_url');
  }

  // configured_secrets - computed: true, optional: false, required: false
  public get configuredSecrets() {
    return this.getListAttribute('configured_secrets');
  }

  // managed_by - computed: true, optional: false, required: false
  public get managedBy() {
    return this.getStringAttribute('managed_by');
  }

  // run_from - computed: false, optional: true, required: false
  private _runFrom = new MonitorRunFromOutputReference(this, "run_from");
  public get runFrom() {
    return this._runFrom;
  }
  public putRunFrom(value: MonitorRunFrom) {
    this._runFrom.internalValue = value;
  }
  public resetRunFrom() {
    this._runFrom.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get runFromInput() {
    return this._runFrom.internalValue;
  }

  // http - computed: false, optional: true, required: false
  private _http = new MonitorHttpOutputReference(this, "http");
  public get http() {
    return this._http;
  }
  public putHttp(value: MonitorHttp) {
    this._http.internalValue = value;
  }
  public resetHttp() {
    this._http.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get httpInput() {
    return this._http.internalValue;
  }

  // tcp - computed: false, optional: false, required: true
  private _tcp = new MonitorTcpOutputReference(this, "tcp");
  public get tcp() {
    return this._tcp;
  }
  public putTcp(value: MonitorTcp) {
    this._tcp.internalValue = value;
  }
  // Temporarily expose input value. Use with caution.
  public get tcpInput() {
    return this._tcp.internalValue;
  }

  // dns - computed: false, optional: true, required: false
  private _dns = new MonitorDnsOutputReference(this, "dns");
  public get dns() {
    return this._dns;
  }
  public putDns(value: MonitorDns) {
    this._dns.internalValue = value;
  }
  public resetDns() {
    this._dns.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get dnsInput() {
    return this._dns.internalValue;
  }

  // tls - computed: false, optional: true, required: false
  private _tls = new MonitorTlsOutputReference(this, "tls");
  public get tls() {
    return this._tls;
  }
  public putTls(value: MonitorTls) {
    this._tls.internalValue = value;
  }
  public resetTls() {
    this._tls.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get tlsInput() {
    return this._tls.internalValue;
  }

  // step - computed: false, optional: true, required: false
  private _step = new MonitorStepList(this, "step", false);
  public get step() {
    return this._step;
  }
  public putStep(value: MonitorStep[] | cdktf.IResolvable) {
    this._step.internalValue = value;
  }
  public resetStep() {
    this._step.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get stepInput() {
    return this._step.internalValue;
  }

  // heartbeat - computed: false, optional: true, required: false
  private _heartbeat = new MonitorHeartbeatOutputReference(this, "heartbeat");
  public get heartbeat() {
    return this._heartbeat;
  }
  public putHeartbeat(value: MonitorHeartbeat) {
    this._heartbeat.internalValue = value;
  }
  public resetHeartbeat() {
    this._heartbeat.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get heartbeatInput() {
    return this._heartbeat.internalValue;
  }

  // assertion - computed: false, optional: true, required: false
  private _assertion = new MonitorAssertionList(this, "assertion", false);
  public get assertion() {
    return this._assertion;
  }
  public putAssertion(value: MonitorAssertion[] | cdktf.IResolvable) {
    this._assertion.internalValue = value;
  }
  public resetAssertion() {
    this._assertion.internalValue = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get assertionInput() {
    return this._assertion.internalValue;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      name: cdktf.stringToTerraform(this._name),
      service_id: cdktf.stringToTerraform(this._serviceId),
      dependency_id: cdktf.stringToTerraform(this._dependencyId),
      type: cdktf.stringToTerraform(this._type),
      description: cdktf.stringToTerraform(this._description),
      enabled: cdktf.booleanToTerraform(this._enabled),
      interval_seconds: cdktf.numberToTerraform(this._intervalSeconds),
      timeout_seconds: cdktf.numberToTerraform(this._timeoutSeconds),
      regions: cdktf.listMapper(cdktf.stringToTerraform, false)(this._regions),
      failure_threshold: cdktf.numberToTerraform(this._failureThreshold),
      recovery_threshold: cdktf.numberToTerraform(this._recoveryThreshold),
      degraded_threshold_ms: cdktf.numberToTerraform(this._degradedThresholdMs),
      min_failed_regions: cdktf.numberToTerraform(this._minFailedRegions),
      tags: cdktf.hashMapper(cdktf.stringToTerraform)(this._tags),
      run_from: monitorRunFromToTerraform(this._runFrom.internalValue),
      http: monitorHttpToTerraform(this._http.internalValue),
      tcp: monitorTcpToTerraform(this._tcp.internalValue),
      dns: monitorDnsToTerraform(this._dns.internalValue),
      tls: monitorTlsToTerraform(this._tls.internalValue),
      step: cdktf.listMapper(monitorStepToTerraform, true)(this._step.internalValue),
      heartbeat: monitorHeartbeatToTerraform(this._heartbeat.internalValue),
      assertion: cdktf.listMapper(monitorAssertionToTerraform, true)(this._assertion.internalValue),
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
      service_id: {
        value: cdktf.stringToHclTerraform(this._serviceId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      dependency_id: {
        value: cdktf.stringToHclTerraform(this._dependencyId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      type: {
        value: cdktf.stringToHclTerraform(this._type),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      description: {
        value: cdktf.stringToHclTerraform(this._description),
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
      interval_seconds: {
        value: cdktf.numberToHclTerraform(this._intervalSeconds),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      timeout_seconds: {
        value: cdktf.numberToHclTerraform(this._timeoutSeconds),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      regions: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._regions),
        isBlock: false,
        type: "list",
        storageClassType: "stringList",
      },
      failure_threshold: {
        value: cdktf.numberToHclTerraform(this._failureThreshold),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      recovery_threshold: {
        value: cdktf.numberToHclTerraform(this._recoveryThreshold),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      degraded_threshold_ms: {
        value: cdktf.numberToHclTerraform(this._degradedThresholdMs),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      min_failed_regions: {
        value: cdktf.numberToHclTerraform(this._minFailedRegions),
        isBlock: false,
        type: "simple",
        storageClassType: "number",
      },
      tags: {
        value: cdktf.hashMapperHcl(cdktf.stringToHclTerraform)(this._tags),
        isBlock: false,
        type: "map",
        storageClassType: "stringMap",
      },
      run_from: {
        value: monitorRunFromToHclTerraform(this._runFrom.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "MonitorRunFrom",
      },
      http: {
        value: monitorHttpToHclTerraform(this._http.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "MonitorHttp",
      },
      tcp: {
        value: monitorTcpToHclTerraform(this._tcp.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "MonitorTcp",
      },
      dns: {
        value: monitorDnsToHclTerraform(this._dns.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "MonitorDns",
      },
      tls: {
        value: monitorTlsToHclTerraform(this._tls.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "MonitorTls",
      },
      step: {
        value: cdktf.listMapperHcl(monitorStepToHclTerraform, true)(this._step.internalValue),
        isBlock: true,
        type: "list",
        storageClassType: "MonitorStepList",
      },
      heartbeat: {
        value: monitorHeartbeatToHclTerraform(this._heartbeat.internalValue),
        isBlock: true,
        type: "struct",
        storageClassType: "MonitorHeartbeat",
      },
      assertion: {
        value: cdktf.listMapperHcl(monitorAssertionToHclTerraform, true)(this._assertion.internalValue),
        isBlock: true,
        type: "list",
        storageClassType: "MonitorAssertionList",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
