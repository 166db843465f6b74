import type { CtyType } from '../codec/cty-type.model.ts';
import type { AttributePath, PathStep } from '../engine/attribute-path.model.ts';

/**
 * Maps an RFC 6901 JSON pointer into the request body ("/assertions/0/target") to a Terraform
 * attribute path. With the resource's type the mapping is exact (map keys stay strings even
 * when they look like numbers); without it, numeric tokens are taken as list indexes.
 */
export function pointerToPath(pointer: string, type?: CtyType): AttributePath {
  if (pointer === '' || pointer === '/') return [];
  const tokens = pointer
    .replace(/^#/, '')
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const steps: PathStep[] = [];
  let t: CtyType | undefined = type;
  for (const token of tokens) {
    const kind = t === undefined || typeof t === 'string' ? undefined : t[0];
    if (kind === 'object') {
      steps.push({ attribute: token });
      t = (t as readonly ['object', Record<string, CtyType>])[1][token];
    } else if (kind === 'map') {
      steps.push({ key: token });
      t = (t as readonly ['map', CtyType])[1];
    } else if ((kind === 'list' || kind === 'set' || kind === 'tuple' || kind === undefined) && /^(0|[1-9]\d*)$/.test(token)) {
      steps.push({ index: Number(token) });
      t = kind === 'list' || kind === 'set' ? (t as readonly ['list', CtyType])[1] : kind === 'tuple' ? (t as readonly ['tuple', CtyType[]])[1][Number(token)] : undefined;
    } else {
      steps.push({ attribute: token });
      t = undefined;
    }
  }
  return steps;
}
