import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { PharosError, type FieldError } from '../contract/errors.ts';
import { pointerToken } from './json-guard.ts';

// ajv-formats ships CommonJS with a default export property.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

function describe(error: ErrorObject): FieldError {
  const base = error.instancePath;
  const schemaDescription = (error.parentSchema as { description?: string } | undefined)?.description;
  const hint = schemaDescription ? ` (${schemaDescription})` : '';
  switch (error.keyword) {
    case 'required':
      return { pointer: `${base}/${String(error.params.missingProperty)}`, message: 'This field is required.' };
    case 'additionalProperties': {
      const map = error.parentSchema as { patternProperties?: object; errorMessage?: string; description?: string } | undefined;
      if (map?.patternProperties) {
        const key = String(error.params.additionalProperty);
        return { pointer: `${base}/${pointerToken(key)}`, message: `The key ${JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}…` : key)} is not allowed. ${map.errorMessage ?? map.description ?? ''}`.trim() };
      }
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return {
        pointer: `${base}/${String(error.params.additionalProperty)}`,
        message: `Unknown field "${String(error.params.additionalProperty)}"; remove it.${known.length ? ` Known fields: ${known.join(', ')}.` : ''}`,
      };
    }
    case 'enum':
      return { pointer: base, message: `Must be one of: ${(error.params.allowedValues as unknown[]).map(String).join(', ')}.` };
    case 'pattern': {
      // A schema pattern carries a human message (errorMessage); the expression itself is a last resort.
      const human = (error.parentSchema as { errorMessage?: string } | undefined)?.errorMessage;
      return { pointer: base, message: human ?? `Has the wrong format${hint || `: must match ${String(error.params.pattern)}`}.` };
    }
    case 'format':
      return { pointer: base, message: (error.parentSchema as { errorMessage?: string } | undefined)?.errorMessage ?? `Must be a valid ${String(error.params.format)}.` };
    case 'propertyNames':
      return { pointer: base, message: `Has a key with the wrong format${hint}.` };
    default:
      return { pointer: base, message: `${capitalize(error.message ?? 'is invalid')}${hint}.` };
  }
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Compiles contract schemas once and turns their failures into field errors with JSON pointers. */
export class Validator {
  // verbose: errors carry their parentSchema, where the human messages (errorMessage, description) are.
  private readonly bodyAjv = new Ajv({ allErrors: true, useDefaults: true, strict: false, coerceTypes: false, verbose: true });
  private readonly queryAjv = new Ajv({ allErrors: true, useDefaults: true, strict: false, coerceTypes: true, verbose: true });
  private readonly cache = new WeakMap<TSchema, ValidateFunction>();
  private readonly queryCache = new WeakMap<TSchema, ValidateFunction>();

  constructor() {
    addFormats(this.bodyAjv);
    addFormats(this.queryAjv);
  }

  /** Validates (and fills defaults into) a request body; throws validation_failed listing every bad field. */
  body<T>(schema: TSchema, value: unknown, what = 'The request body'): T {
    return this.run(this.bodyAjv, this.cache, schema, value, what) as T;
  }

  /** Validates query parameters, coercing strings to the declared types. */
  queryParams<T>(schema: TSchema, value: unknown): T {
    return this.run(this.queryAjv, this.queryCache, schema, value, 'The query string') as T;
  }

  /** Field errors of a value against a schema, without throwing. */
  errors(schema: TSchema, value: unknown): FieldError[] {
    const validate = this.compile(this.bodyAjv, this.cache, schema);
    return validate(value) ? [] : dedupe((validate.errors ?? []).map(describe));
  }

  private compile(ajv: Ajv, cache: WeakMap<TSchema, ValidateFunction>, schema: TSchema): ValidateFunction {
    let validate = cache.get(schema);
    if (!validate) {
      validate = ajv.compile(schema);
      cache.set(schema, validate);
    }
    return validate;
  }

  private run(ajv: Ajv, cache: WeakMap<TSchema, ValidateFunction>, schema: TSchema, value: unknown, what: string): unknown {
    const validate = this.compile(ajv, cache, schema);
    if (validate(value)) return value;
    const errors = dedupe((validate.errors ?? []).map(describe));
    throw new PharosError('validation_failed', `${what} has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}: ${errors.map((e) => `${e.pointer || '/'} ${e.message}`).join(' ')}`, errors);
  }
}

// ajv reports one error per failing keyword; a user wants one message per field.
function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Map<string, FieldError>();
  for (const error of errors) if (!seen.has(error.pointer)) seen.set(error.pointer, error);
  return [...seen.values()];
}
