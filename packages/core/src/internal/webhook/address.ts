/**
 * The sender's address, for `webhookHandler`'s `allowedIps`: the peer the host reports, or an
 * entry of a forwarded header when the options trust a proxy. Addresses are compared in one
 * written form, so `::ffff:174.138.104.128` (a dual-stack socket's view of an IPv4 peer) and
 * `2001:DB8::1` / `2001:db8:0:0:0:0:0:1` match what the allow-list names.
 */
import { InvalidOptionsError } from "../../Errors.js"
import type { TrustedProxy, WebhookConnection } from "../../Webhook.js"

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/
const HEX_GROUP = /^[0-9a-f]{1,4}$/

const ipv4 = (text: string): string | undefined => {
  const octets = IPV4.exec(text)?.slice(1)
  if (octets === undefined) return undefined
  // A leading zero is octal to some parsers and decimal to others: refuse the ambiguity.
  if (octets.some((octet) => (octet.length > 1 && octet.startsWith("0")) || Number(octet) > 255)) return undefined
  return octets.map(Number).join(".")
}

/** The eight groups of an IPv6 address, or `undefined`. */
const ipv6Groups = (text: string): Array<number> | undefined => {
  const halves = text.toLowerCase().split("::")
  if (halves.length > 2) return undefined
  const groupsOf = (half: string): Array<number> | undefined => {
    if (half === "") return []
    const parts = half.split(":")
    const last = parts[parts.length - 1] as string
    const embedded = last.includes(".") ? ipv4(last) : undefined
    if (last.includes(".") && embedded === undefined) return undefined
    const hex = embedded === undefined ? parts : parts.slice(0, -1)
    if (!hex.every((part) => HEX_GROUP.test(part))) return undefined
    const groups = hex.map((part) => Number.parseInt(part, 16))
    if (embedded !== undefined) {
      const [a, b, c, d] = embedded.split(".").map(Number) as [number, number, number, number]
      groups.push((a << 8) | b, (c << 8) | d)
    }
    return groups
  }
  const head = groupsOf(halves[0] as string)
  const tail = halves.length === 2 ? groupsOf(halves[1] as string) : []
  if (head === undefined || tail === undefined) return undefined
  if (halves.length === 1) return head.length === 8 ? head : undefined
  const missing = 8 - head.length - tail.length
  return missing >= 1 ? [...head, ...Array<number>(missing).fill(0), ...tail] : undefined
}

/**
 * `text` as one written form of its address (dotted IPv4, or eight lowercase IPv6 groups; an
 * IPv4-mapped IPv6 address as its IPv4), or `undefined` when it is not an address. Takes the
 * forms forwarded headers use too: `[v6]`, `[v6]:port`, `v4:port`, a `%zone`.
 */
export const normaliseIp = (input: string): string | undefined => {
  let text = input.trim()
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text)
  if (bracketed !== null) text = bracketed[1] as string
  else if (/^[\d.]+:\d{1,5}$/.test(text)) text = text.slice(0, text.indexOf(":"))
  text = text.replace(/%[\w.-]+$/, "")
  const v4 = ipv4(text)
  if (v4 !== undefined) return v4
  const groups = ipv6Groups(text)
  if (groups === undefined) return undefined
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    const [high, low] = groups.slice(6) as [number, number]
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".")
  }
  return groups.map((group) => group.toString(16)).join(":")
}

/** The allow-list in the compared form; an entry that is not an address is a programming error. */
export const checkAllowedIps = (allowedIps: ReadonlyArray<string> | undefined): ReadonlySet<string> | undefined => {
  if (allowedIps === undefined) return undefined
  if (!Array.isArray(allowedIps) || allowedIps.length === 0) {
    throw new InvalidOptionsError({ option: "allowedIps", problem: "must list at least one IPv4 or IPv6 address" })
  }
  return new Set(
    allowedIps.map((address: unknown) => {
      const normalised = typeof address === "string" ? normaliseIp(address) : undefined
      if (normalised === undefined) {
        throw new InvalidOptionsError({
          option: "allowedIps",
          problem: `${JSON.stringify(String(address)).slice(0, 60)} is not an IPv4 or IPv6 address`
        })
      }
      return normalised
    })
  )
}

/** The `trustProxy` option with its defaults, or `undefined` when forwarded headers are ignored. */
export const checkTrustProxy = (trustProxy: boolean | TrustedProxy | undefined): Required<TrustedProxy> | undefined => {
  if (trustProxy === undefined || trustProxy === false) return undefined
  const proxy: TrustedProxy | null = trustProxy === true ? {} : trustProxy
  const header = typeof proxy === "object" && proxy !== null ? (proxy.header ?? "x-forwarded-for") : undefined
  if (header !== "x-forwarded-for" && header !== "forwarded") {
    throw new InvalidOptionsError({
      option: "trustProxy",
      problem: 'must be a boolean or { header?: "x-forwarded-for" | "forwarded", hops?: number }'
    })
  }
  const hops = (proxy as TrustedProxy).hops ?? 1
  if (!Number.isSafeInteger(hops) || hops < 1) {
    throw new InvalidOptionsError({
      option: "trustProxy.hops",
      problem: "must be a whole number of proxies, 1 or more"
    })
  }
  return { header, hops }
}

/** The addresses a forwarded header lists, first (the farthest claimed) to last (added by the nearest proxy). */
const forwardedList = (request: Request, header: Required<TrustedProxy>["header"]): Array<string> => {
  const value = request.headers.get(header)
  if (value === null) return []
  if (header === "x-forwarded-for") return value.split(",")
  // RFC 7239: `for=192.0.2.60;proto=http, for="[2001:db8::17]:4711"`; an element without `for` is "".
  return value.split(",").map((element) => {
    const pair = element.split(";").find((part) => part.trim().toLowerCase().startsWith("for="))
    return pair === undefined ? "" : pair.trim().slice(4).replace(/^"|"$/g, "")
  })
}

/** The sender's address in the compared form, or `undefined` when it cannot be told. */
export const senderAddress = (
  request: Request,
  connection: WebhookConnection | undefined,
  proxy: Required<TrustedProxy> | undefined
): string | undefined => {
  if (proxy === undefined) {
    const peer = connection?.remoteAddr?.hostname
    return typeof peer === "string" ? normaliseIp(peer) : undefined
  }
  const list = forwardedList(request, proxy.header)
  const entry = list[list.length - proxy.hops]
  return entry === undefined ? undefined : normaliseIp(entry)
}
