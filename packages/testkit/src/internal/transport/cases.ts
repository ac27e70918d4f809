/**
 * The transport suite's cases: each one real request (or a few) over loopback to the probe,
 * checking what the engine relies on (see core's `internal/engine/engine.ts` and `network.ts`).
 */
import { NetworkError } from "@oneroute/core"
import type { OwnedTransport } from "@oneroute/core/adapter"
import { layerWithTransport, makeClient } from "@oneroute/core/effect"
import type { TransportCase } from "../../TransportSuite.js"
import { check, equal } from "../conformance/assertions.js"
import { PARTIAL_BODY, type Stage } from "./answers.js"
import { bodyBytes, byteLength, headerValues, post, probeCase, watch, withTransport } from "./probeClient.js"

/** The cap of cases that do not test it: far above their bodies. */
const LARGE_CAP = 1024 * 1024
/** An API key with characters that escape differently everywhere (printable ASCII, as the SDK accepts). */
const ODD_KEY = "sk_live-A&b<c>\"d'e\\f%2Fg+h/i=j~!"

/** `promise`'s rejection; a resolution fails the case with `what`. */
const rejectionOf = (promise: Promise<unknown>, what: string): Promise<unknown> =>
  promise.then(
    () => {
      check(false, `${what}: expected a rejection, it resolved`)
    },
    (error: unknown) => error
  )

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The engine's verdict on a send over `transport`, whatever URL the engine builds: the probe's `url` instead. */
const engineError = async (make: () => OwnedTransport, probeUrl: string, url: string): Promise<unknown> => {
  const client = makeClient(
    layerWithTransport({ apiKey: "probe-key", baseUrl: probeUrl, retry: false, timeout: "30 seconds" }, () => {
      const owned = make()
      return { send: (request) => owned.send({ ...request, url }), close: owned.close }
    })
  )
  try {
    return await rejectionOf(
      client.sendSessionMessage({ from: "2348000000001", to: "2348012345678", message: "probe" }),
      "the engine's send"
    )
  } finally {
    await client.close()
  }
}

const sendsExactly: TransportCase = {
  name: "sends one POST with the headers and the body's bytes exactly as given",
  run: ({ transport, probeUrl }) =>
    withTransport(transport, async (send) => {
      const probe = probeCase(probeUrl)
      const headers = {
        "content-type": "application/json",
        apikey: ODD_KEY,
        "idempotency-key": "7d3c9a52-4f1e-4b8a-9c2d-0e6f5a4b3c21",
        authorization: "Bearer a.b-c_d"
      }
      const body = JSON.stringify({ to: "2348012345678", message: "héllo 👋 مرحبا — \u2028 \u0000 終" })
      const url = probe.url({ kind: "plain", status: 200, body: '{"ok":true}' })
      const answer = await post(send, url, { headers, body })
      equal(answer.status, 200, "status")
      const read = await answer.read(LARGE_CAP)
      check(read.text === '{"ok":true}' && read.complete, `the body read whole, got ${JSON.stringify(read)}`)
      const { requests } = await probe.log()
      equal(requests.length, 1, "requests the probe received")
      const [request] = requests
      equal(request?.method, "POST", "method")
      equal(request?.target, url.slice(probeUrl.length), "request target")
      for (const [name, value] of Object.entries(headers)) {
        const values = headerValues(request, name)
        check(
          values.length === 1 && values[0] === value,
          `header ${name}: expected once as ${JSON.stringify(value)}, got ${JSON.stringify(values)}`
        )
      }
      const expected = new TextEncoder().encode(body)
      const received = bodyBytes(request)
      check(
        received.length === expected.length && received.every((byte, index) => byte === expected[index]),
        `body bytes: expected the UTF-8 of ${JSON.stringify(body)}, got ${new TextDecoder().decode(received)}`
      )
      const lengths = headerValues(request, "content-length")
      check(
        lengths.length === 0 || lengths[0] === String(expected.length),
        `content-length: ${lengths.join()} for ${expected.length} bytes`
      )
    })
}

const readsAnswers: TransportCase = {
  name: "reads the status, Retry-After and Content-Type, and the body whole, for any status",
  run: ({ transport, probeUrl }) =>
    withTransport(transport, async (send) => {
      const probe = probeCase(probeUrl)
      const statuses = [200, 201, 400, 401, 422, 429, 500, 502, 503]
      for (const status of statuses) {
        const retryAfter = status === 503 ? "Wed, 21 Oct 2026 07:28:00 GMT" : "7"
        const contentType = "application/json; charset=utf-8"
        const body = JSON.stringify({ status, message: "é 👋" })
        const answer = await post(
          send,
          probe.url({
            kind: "plain",
            status,
            body,
            headers: { "retry-after": retryAfter, "content-type": contentType }
          })
        )
        equal(answer.status, status, "status")
        equal(answer.header("retry-after"), retryAfter, `retry-after of a ${status}`)
        equal(answer.header("content-type"), contentType, `content-type of a ${status}`)
        equal(answer.header("x-not-sent"), undefined, "a header the answer lacks")
        const read = await answer.read(LARGE_CAP)
        check(read.text === body && read.complete, `the ${status}'s body read whole, got ${JSON.stringify(read)}`)
      }
      equal((await probe.log()).requests.length, statuses.length, "requests the probe received (one per send)")
    })
}

const readsEmpty: TransportCase = {
  name: "a 204, and a 200 with an empty body in every framing, read as empty and complete",
  run: ({ transport, probeUrl }) =>
    withTransport(transport, async (send) => {
      const probe = probeCase(probeUrl)
      const answers = [
        { kind: "plain", status: 204 },
        { kind: "plain", status: 200, framing: "length" },
        { kind: "plain", status: 200, framing: "chunked" },
        { kind: "plain", status: 200, framing: "eof" }
      ] as const
      for (const plain of answers) {
        const answer = await post(send, probe.url(plain))
        equal(answer.status, plain.status, "status")
        const read = await answer.read(LARGE_CAP)
        check(read.text === "" && read.complete, `${JSON.stringify(plain)} reads as empty, got ${JSON.stringify(read)}`)
      }
    })
}

const readsPieces: TransportCase = {
  name: "a body in pieces cut inside multi-byte characters (chunked, or ended by the connection) reads whole",
  run: ({ transport, probeUrl }) =>
    withTransport(transport, async (send) => {
      const probe = probeCase(probeUrl)
      const body = "é👋مرحبا終".repeat(150)
      for (const framing of ["chunked", "eof"] as const) {
        const answer = await post(send, probe.url({ kind: "plain", status: 200, body, framing, pieces: 7 }))
        const read = await answer.read(LARGE_CAP)
        check(read.complete, `${framing}: complete`)
        check(
          read.text === body,
          `${framing}: the text decoded whole (${read.text.length} of ${body.length} characters)`
        )
      }
    })
}

const cutsAtCap: TransportCase = {
  name: "a body over the cap is cut: complete false, its start kept, never more than the cap",
  run: ({ transport, probeUrl }) =>
    withTransport(transport, async (send) => {
      const probe = probeCase(probeUrl)
      const cap = 1000
      for (const framing of ["length", "chunked"] as const) {
        for (const size of [cap, cap + 1, 10 * cap]) {
          const body = Array.from({ length: size }, (_, index) => String.fromCharCode(97 + (index % 26))).join("")
          const answer = await post(send, probe.url({ kind: "plain", status: 200, body, framing, pieces: 3 }))
          const read = await answer.read(cap)
          const what = `${size} bytes (${framing}) under a cap of ${cap}`
          if (size <= cap) {
            check(read.complete && read.text === body, `${what}: read whole, got ${read.text.length} characters`)
            continue
          }
          check(!read.complete, `${what}: complete is false`)
          check(byteLength(read) <= cap, `${what}: kept ${byteLength(read)} bytes, more than the cap`)
          check(read.text.length > 0 && body.startsWith(read.text), `${what}: keeps the body's start`)
        }
      }
    })
}

const stopsHugeBody: TransportCase = {
  name: "a 64 MiB body is cut at the cap and its transfer ended, never read whole",
  run: ({ transport, probeUrl }) =>
    withTransport(transport, async (send) => {
      const bytes = 64 * 1024 * 1024
      const cap = 64 * 1024
      for (const framing of ["length", "chunked"] as const) {
        const probe = probeCase(probeUrl)
        const answer = await post(send, probe.url({ kind: "huge", bytes, framing }))
        const read = await answer.read(cap)
        check(!read.complete, `${framing}: complete is false`)
        check(byteLength(read) <= cap, `${framing}: kept ${byteLength(read)} bytes, more than the cap`)
        // The client ended the transfer: the probe saw the connection close before the body's end.
        const log = await probe.logWhen((current) => current.cutShort > 0)
        check(log.bodyBytesSent < bytes, `${framing}: the probe wrote the whole body (${log.bodyBytesSent} bytes)`)
      }
    })
}

const countsInflated: TransportCase = {
  name: "a gzip answer: Content-Encoding shows, and an inflating transport counts inflated bytes against the cap",
  run: ({ transport, probeUrl }) =>
    withTransport(transport, async (send) => {
      const probe = probeCase(probeUrl)
      const inflatedBytes = 2 * 1024 * 1024
      const url = probe.url({ kind: "gzip", inflatedBytes })
      const small = await post(send, url)
      equal(small.header("content-encoding"), "gzip", "content-encoding")
      const cut = await small.read(64 * 1024)
      check(byteLength(cut) <= 64 * 1024, `kept ${byteLength(cut)} bytes, more than the cap`)
      // A transport that does not inflate reads the few compressed bytes, which fit.
      if (cut.text.startsWith("x")) check(!cut.complete, "the inflated body is over the cap: complete is false")
      const whole = await (await post(send, url)).read(4 * 1024 * 1024)
      check(whole.complete, "under a cap above the inflated size the body reads whole")
      if (whole.text.startsWith("x")) equal(whole.text.length, inflatedBytes, "inflated characters")
    })
}

const abortsBefore: TransportCase = {
  name: "an already-aborted signal rejects with its reason and sends nothing",
  run: ({ transport, probeUrl }) =>
    withTransport(transport, async (send) => {
      const probe = probeCase(probeUrl)
      const reason = new Error("probe: aborted before sending")
      const error = await rejectionOf(
        post(send, probe.url({ kind: "plain", status: 200 }), { signal: AbortSignal.abort(reason) }),
        "an aborted send"
      )
      check(error === reason, `rejects with signal.reason, got ${String(error)}`)
      // A later send on the same transport arrives; the aborted one never does.
      const later = probeCase(probeUrl)
      await (await post(send, later.url({ kind: "plain", status: 200 }))).read(LARGE_CAP)
      equal((await probe.log()).requests.length, 0, "requests the probe received for the aborted send")
    })
}

const abortsWaiting: TransportCase = {
  name: "an abort while waiting for the answer rejects with its reason and closes the connection",
  run: ({ transport, probeUrl }) =>
    withTransport(transport, async (send) => {
      const probe = probeCase(probeUrl)
      const controller = new AbortController()
      const reason = new Error("probe: aborted while waiting")
      const pending = rejectionOf(
        post(send, probe.url({ kind: "hang", stage: "before-head", framing: "length" }), {
          signal: controller.signal
        }),
        "a send aborted while waiting"
      )
      await probe.logWhen((log) => log.requests.length > 0)
      controller.abort(reason)
      const error = await pending
      check(error === reason, `rejects with signal.reason, got ${String(error)}`)
      const log = await probe.logWhen((current) => current.cutShort > 0)
      equal(log.requests.length, 1, "requests the probe received")
    })
}

const hangsMidBody: TransportCase = {
  name: "a body that stops mid-way keeps the read pending; an abort rejects it with its reason and ends the transfer",
  run: ({ transport, probeUrl }) =>
    withTransport(transport, async (send) => {
      for (const framing of ["length", "chunked"] as const) {
        const probe = probeCase(probeUrl)
        const controller = new AbortController()
        const answer = await post(send, probe.url({ kind: "hang", stage: "mid-body", framing }), {
          signal: controller.signal
        })
        equal(answer.status, 200, `${framing}: status`)
        const read = watch(answer.read(LARGE_CAP))
        await sleep(200)
        check(!read.isSettled(), `${framing}: the read settled with half of the body (it must wait for the rest)`)
        const reason = new Error(`probe: aborted mid-body (${framing})`)
        controller.abort(reason)
        const outcome = await read.settled
        check(
          !outcome.ok,
          `${framing}: the read resolved after the abort: ${outcome.ok ? `${outcome.value.text.length} characters, complete: ${outcome.value.complete}` : ""}`
        )
        check(
          !outcome.ok && outcome.error === reason,
          `${framing}: rejects with signal.reason, got ${String(!outcome.ok && outcome.error)}`
        )
        await probe.logWhen((log) => log.cutShort > 0)
      }
    })
}

const rejectsBrokenBody: TransportCase = {
  name: "a body that breaks off (reset, or the connection ends early) rejects the read",
  run: ({ transport, probeUrl }) =>
    withTransport(transport, async (send) => {
      const breaks = [
        { kind: "reset", stage: "mid-body" as Stage, framing: "length" },
        { kind: "reset", stage: "mid-body" as Stage, framing: "chunked" },
        { kind: "short", framing: "length" },
        { kind: "short", framing: "chunked" }
      ] as const
      for (const broken of breaks) {
        const probe = probeCase(probeUrl)
        const answer = await post(send, probe.url(broken))
        const outcome = await watch(answer.read(LARGE_CAP)).settled
        check(
          !outcome.ok,
          `${JSON.stringify(broken)}: the read resolved with ${outcome.ok ? `${outcome.value.text.length} characters (complete: ${outcome.value.complete})` : ""} of ${PARTIAL_BODY.length}`
        )
      }
    })
}

const refused: TransportCase = {
  name: "a refused connection rejects; the engine makes it NetworkError not-sent where the runtime can tell",
  run: async ({ transport, probeUrl, refusedUrl, detectsRefusedConnection }) => {
    await withTransport(transport, (send) =>
      rejectionOf(post(send, `${refusedUrl}/refused`), "a send to a refused port")
    )
    const error = await engineError(transport, probeUrl, `${refusedUrl}/refused`)
    check(error instanceof NetworkError, `the engine's error: expected NetworkError, got ${String(error)}`)
    equal(
      (error as NetworkError).sendOutcome,
      detectsRefusedConnection ? "not-sent" : "unknown",
      `sendOutcome (${(error as NetworkError).reason})`
    )
  }
}

const resetAfterSending: TransportCase = {
  name: "a reset after the request arrived rejects; the engine makes it NetworkError unknown; it arrived once",
  run: async ({ transport, probeUrl }) => {
    const probe = probeCase(probeUrl)
    const error = await engineError(
      transport,
      probeUrl,
      probe.url({ kind: "reset", stage: "before-head", framing: "length" })
    )
    check(error instanceof NetworkError, `the engine's error: expected NetworkError, got ${String(error)}`)
    equal((error as NetworkError).sendOutcome, "unknown", "sendOutcome")
    equal((await probe.log()).requests.length, 1, "requests the probe received")
  }
}

const noResend: TransportCase = {
  name: "a reset on a reused keep-alive connection is not sent again",
  run: ({ transport, probeUrl }) =>
    withTransport(transport, async (send) => {
      const warm = probeCase(probeUrl)
      // Leaves an idle keep-alive connection that the next send may reuse.
      await (await post(send, warm.url({ kind: "plain", status: 200, body: "{}" }))).read(LARGE_CAP)
      const probe = probeCase(probeUrl)
      await rejectionOf(
        post(send, probe.url({ kind: "reset", stage: "before-head", framing: "length" })),
        "a send whose connection was reset"
      )
      equal((await probe.log()).requests.length, 1, "requests the probe received (a silent resend makes two)")
    })
}

const noRedirect: TransportCase = {
  name: "a redirect is never followed: the 3xx reaches the caller as it is (a browser, which hides it, rejects), sent once",
  run: ({ transport, probeUrl }) =>
    withTransport(transport, async (send) => {
      const problems: Array<string> = []
      for (const status of [301, 302, 303, 307, 308]) {
        const probe = probeCase(probeUrl)
        const outcome = await watch(post(send, probe.url({ kind: "redirect", status }))).settled
        if (!outcome.ok) {
          // A browser's manual redirect is opaque (no status, no headers): rejecting is all it can do.
          const requests = (await probe.log()).requests
          if (!("document" in globalThis) || requests.length !== 1) {
            problems.push(`${status}: rejected with ${String(outcome.error)} after ${requests.length} requests`)
          }
          continue
        }
        const answer = outcome.value
        const read = await answer.read(LARGE_CAP)
        const requests = (await probe.log()).requests
        if (
          answer.status !== status ||
          requests.length !== 1 ||
          !(answer.header("location") ?? "").startsWith("/case/")
        ) {
          problems.push(
            `${status}: answered ${answer.status} (location ${answer.header("location")}, body ${JSON.stringify(read.text.slice(0, 40))}) after ${requests.length} requests (${requests.map((request) => request.method).join(", ")})`
          )
        }
      }
      check(problems.length === 0, `redirects were not handed over as they are: ${problems.join("; ")}`)
    })
}

/** Every case, in a stable order. */
export const cases: ReadonlyArray<TransportCase> = [
  sendsExactly,
  readsAnswers,
  readsEmpty,
  readsPieces,
  cutsAtCap,
  stopsHugeBody,
  countsInflated,
  abortsBefore,
  abortsWaiting,
  hangsMidBody,
  rejectsBrokenBody,
  refused,
  resetAfterSending,
  noResend,
  noRedirect
]
