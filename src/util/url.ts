import { REDACTED } from './redact.js'

/** Query parameters whose values are credentials by their name (`?token=`, `&X-Amz-Signature=`). */
const SECRET_PARAMETER =
  /token|secret|pass(?:word|wd)?|pwd|key|sig(?:nature)?|auth|credential|session|jwt/i

/** Request headers whose values are credentials by their name. */
const SECRET_HEADER = /authorization|cookie|token|secret|key|auth|credential|session|signature/i

export function isSecretParameter(name: string): boolean {
  return SECRET_PARAMETER.test(name)
}

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name)
}

/**
 * The credentials a URL carries: its userinfo password and the values of query parameters named
 * like secrets, each as written and as decoded, so both forms can be masked.
 */
export function urlSecrets(text: string): string[] {
  const url = parse(text)
  if (!url) return []
  const values: string[] = []
  if (url.password) values.push(url.password, safeDecode(url.password))
  // The query as written, so each value is known in both forms.
  const query = /\?([^#]*)/.exec(text)?.[1] ?? ''
  for (const pair of query.split('&')) {
    const [name = '', value = ''] = pair.split('=')
    if (value && isSecretParameter(safeDecode(name))) values.push(value, safeDecode(value))
  }
  return [...new Set(values.filter(Boolean))]
}

/**
 * A URL as every output shows it: the userinfo password and secret-named query values replaced
 * by `***` (`http://admin:***@host/health?token=***`), whatever their length.
 */
export function displayUrl(text: string): string {
  const url = parse(text)
  if (!url) return text
  let shown = text
  if (url.password) {
    shown = shown.replace(
      /^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@/?#]*@/i,
      (_, user: string) => `${user}:${REDACTED}@`
    )
  }
  return shown.replace(/([?&])([^=&#]+)=([^&#]*)/g, (whole, separator: string, name: string) =>
    isSecretParameter(safeDecode(name)) ? `${separator}${name}=${REDACTED}` : whole
  )
}

function parse(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
