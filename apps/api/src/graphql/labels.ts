// Kubernetes labels in the API: output pairs, input pairs (validated as Kubernetes does) and label filters.
import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength } from 'class-validator';

@ObjectType({ description: 'A Kubernetes label (key=value).' })
export class Label {
  @Field()
  key: string;

  @Field()
  value: string;
}

@InputType({ description: 'One label condition: `key` = `value`, or only the presence of `key` when `value` is null.' })
export class LabelFilterInput {
  @Field()
  @IsString()
  @MaxLength(317)
  key: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  value?: string | null;
}

@InputType({ description: 'A label to set (`value` a string) or remove (`value` null).' })
export class LabelInput {
  @Field()
  @IsString()
  key: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  value?: string | null;
}

/** A label map as the API lists it: pairs sorted by key. */
export function labelPairs(labels: Readonly<Record<string, string>>): Label[] {
  return Object.keys(labels)
    .sort()
    .map((key) => ({ key, value: labels[key] }));
}

// Kubernetes label syntax (apimachinery validation): optional DNS-subdomain prefix, a name of at most 63
// characters, values of at most 63 characters; names and values begin and end with an alphanumeric character.
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a valid label key, or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !PREFIX.test(prefix))) {
    return `label key ${JSON.stringify(key)}: the prefix must be a DNS subdomain (lowercase, at most 253 characters)`;
  }
  if (!NAME.test(name)) {
    return `label key ${JSON.stringify(key)}: the name must be 1 to 63 characters [A-Za-z0-9-_.], beginning and ending with a letter or digit`;
  }
  return undefined;
}

/** Why `value` is not a valid label value, or undefined. */
export function labelValueProblem(value: string): string | undefined {
  return value === '' || NAME.test(value)
    ? undefined
    : `label value ${JSON.stringify(value)}: at most 63 characters [A-Za-z0-9-_.], beginning and ending with a letter or digit (or empty)`;
}
