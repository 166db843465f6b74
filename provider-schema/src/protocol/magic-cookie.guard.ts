/** go-plugin's shared secret for Terraform providers: proof that Terraform, not a person, started us. */
export const magicCookieKey = 'TF_PLUGIN_MAGIC_COOKIE';
export const magicCookieValue = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

/** Returns a message for a person who ran the binary by hand, or undefined when Terraform started it. */
export function magicCookieProblem(env: NodeJS.ProcessEnv): string | undefined {
  if (env[magicCookieKey] === magicCookieValue) return undefined;
  return [
    'This binary is a plugin for Terraform (terraform-provider-pharos). It is not meant to be run directly.',
    'Install it into a filesystem mirror and run `terraform init`, `terraform plan` or `terraform apply` instead;',
    'see provider-schema/README.md.',
    '',
  ].join('\n');
}

/** Which protocol versions Terraform offers; the provider serves 6 only. */
export function supportsProtocol6(env: NodeJS.ProcessEnv): boolean {
  const offered = env['PLUGIN_PROTOCOL_VERSIONS'];
  return offered === undefined || offered.split(',').map((v) => v.trim()).includes('6');
}
