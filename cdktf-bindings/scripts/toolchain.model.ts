/**
 * The CDK library a generation targets. Generated code imports its library by name, so bindings
 * generated for one cannot be used with the other without regenerating.
 */
export interface Toolchain {
  /** npm package the generated code imports (`import * as cdktf from "cdktf"`). */
  readonly library: string;
  /**
   * The generator class's own module: the package's top-level entry requires jsii-pacmak, which
   * cdktf 0.21 does not declare, so it fails to load; the deep path does not need it.
   */
  readonly generatorModule: string;
  /** Provides ConstructsMakerProviderTarget, TerraformProviderConstraint and Language. */
  readonly commonsModule: string;
}

/** cdktf: HashiCorp's CDK for Terraform 0.21 (archived 2025-12); cdktn: the community fork CDK Terrain. */
export const toolchains = {
  cdktf: {
    library: 'cdktf',
    generatorModule: '@cdktf/provider-generator/lib/get/generator/provider-generator',
    commonsModule: '@cdktf/commons',
  },
  cdktn: {
    library: 'cdktn',
    generatorModule: '@cdktn/provider-generator/build/get/generator/provider-generator',
    commonsModule: '@cdktn/commons',
  },
} as const satisfies Record<string, Toolchain>;

export type ToolchainName = keyof typeof toolchains;

/**
 * What `npm run generate:bindings` and the drift test use: cdktf 0.21, verified on our Node 20
 * (cdktn-cli needs Node >= 22.19). README.md says why and how to switch.
 */
export const defaultToolchain: ToolchainName = 'cdktf';
