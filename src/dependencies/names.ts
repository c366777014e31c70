/** A PyPI project name as PEP 503 compares it: `Jinja2` and `jinja2`, `zope.interface` and `zope-interface` are one. */
export function pypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-')
}
