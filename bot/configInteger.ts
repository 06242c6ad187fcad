import { z } from 'zod';

/** An integer variable within bounds, with the one-line message config errors give. */
export const integer = (min: number, max: number) =>
  z.coerce
    .number({ invalid_type_error: `expected an integer from ${min} to ${max}` })
    .int(`expected an integer from ${min} to ${max}`)
    .min(min, `expected an integer from ${min} to ${max}`)
    .max(max, `expected an integer from ${min} to ${max}`);
