// A loopback server for the benchmarks, run as a child process so it does not share the
// client's event loop. Answers a send (POST /api/public/conversation/text with the bench's
// apiKey) with OneRoute's documented 200 body, and a GET (the HttpClient micro-bench) the same.
// Anything else is refused (404 for another path, 401 for another key), so a bench that posts to
// the wrong place fails instead of measuring 200s. Prints its port, exits when stdin closes.
import { createServer } from "node:http"
import { documentedSuccessBody } from "@oneroute/testkit"

const body = JSON.stringify(documentedSuccessBody)
const SEND_PATH = "/api/public/conversation/text"
const API_KEY = "bench-key"

const answer = (request) => {
  if (request.method === "GET") return 200
  if (request.method !== "POST" || request.url !== SEND_PATH) return 404
  return request.headers.apikey === API_KEY ? 200 : 401
}

const server = createServer((request, response) => {
  request.resume()
  request.on("end", () => {
    const status = answer(request)
    const text = status === 200 ? body : JSON.stringify({ data: null, message: `refused: ${status}`, success: false })
    response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) })
    response.end(text)
  })
})
server.keepAliveTimeout = 30_000
server.listen(0, "127.0.0.1", () => console.log(server.address().port))
process.stdin.on("end", () => process.exit(0)).resume()
