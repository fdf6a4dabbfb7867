import { ValidationPipe } from '@nestjs/common';
import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsOptional, IsString, Max, Min } from 'class-validator';
import { badUserInput } from './errors.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** Relay forward pagination; the page size is capped here, in the args type. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: DEFAULT_PAGE_SIZE, description: `Page size, 1 to ${MAX_PAGE_SIZE}.` })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = DEFAULT_PAGE_SIZE;

  @Field(() => String, { nullable: true, description: 'Return the items after this cursor (an `endCursor`).' })
  @IsOptional()
  @IsString()
  after?: string | null;
}

/** Validates args types; a violation is BAD_USER_INPUT naming the argument and the rule. */
export const validateArgs = new ValidationPipe({
  transform: true,
  exceptionFactory: (errors) => {
    const problems = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    return badUserInput(problems.join('; '), { arguments: errors.map((error) => error.property).sort() });
  },
});
