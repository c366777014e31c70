/**
 * Response bodies shaped by GitHub's OpenAPI schemas: every required field filled from the
 * schema's own `example` (or a value of its type), then the test's values laid over it. The
 * fake validates the result against the same schema before answering.
 */
type Schema = Record<string, unknown>

export function sampleOf(schema: Schema | undefined): unknown {
  if (!schema) return null
  if (Array.isArray(schema.allOf))
    return (schema.allOf as Schema[]).reduce<Record<string, unknown>>(
      (merged, part) => ({ ...merged, ...(sampleOf(part) as Record<string, unknown>) }),
      {}
    )
  const branches = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined
  if (branches?.length) return sampleOf(branches[0])
  if (schema.example !== undefined && schema.type !== 'object' && schema.type !== 'array')
    return schema.example
  if (Array.isArray(schema.enum)) return schema.enum[0]
  if (schema.nullable && schema.type !== 'object') return null
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>
      const sample: Record<string, unknown> = {}
      for (const key of (schema.required as string[] | undefined) ?? [])
        sample[key] = sampleOf(properties[key])
      return sample
    }
    case 'array':
      return []
    case 'integer':
    case 'number':
      return 1
    case 'boolean':
      return false
    case 'string':
      if (schema.format === 'date-time') return '2026-11-20T10:00:00Z'
      if (schema.format === 'uri') return 'https://api.github.com/'
      if (schema.format === 'email') return 'octocat@example.com'
      return 'x'
    default:
      return null
  }
}

/** The branch of a schema that describes a value: allOf merged, the non-null anyOf/oneOf branch. */
function resolved(schema: Schema | undefined): Schema | undefined {
  if (!schema) return undefined
  if (Array.isArray(schema.allOf))
    return (schema.allOf as Schema[]).reduce<Schema>((merged, part) => {
      const inner = resolved(part) ?? {}
      return {
        ...merged,
        ...inner,
        properties: { ...(merged.properties as object), ...(inner.properties as object) },
        required: [
          ...((merged.required as string[]) ?? []),
          ...((inner.required as string[]) ?? [])
        ]
      }
    }, {})
  const branches = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined
  if (branches?.length) return resolved(branches.find((branch) => branch.type !== 'null'))
  return schema
}

/**
 * A value of `schema` carrying the test's values: every object, however deep (array items
 * too), gets the required fields the test did not give, from the schema.
 */
export function shaped(schema: Schema | undefined, over: unknown): unknown {
  const definition = resolved(schema)
  if (Array.isArray(over))
    return over.map((element) => shaped(definition?.items as Schema, element))
  if (over && typeof over === 'object') {
    const base = (sampleOf(definition) ?? {}) as Record<string, unknown>
    const properties = (definition?.properties ?? {}) as Record<string, Schema>
    const result: Record<string, unknown> = { ...base }
    for (const [key, value] of Object.entries(over)) result[key] = shaped(properties[key], value)
    return result
  }
  return over
}
