// A loopback server for the benchmarks, run as a child process so it does not share the
// client's event loop. Answers every request with OneRoute's documented 200 body. Prints its
// port, exits when stdin closes.
import { createServer } from "node:http"
import { documentedSuccessBody } from "@oneroute/testkit"

const body = JSON.stringify(documentedSuccessBody)

const server = createServer((request, response) => {
  request.resume()
  request.on("end", () => {
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
    response.end(body)
  })
})
server.keepAliveTimeout = 30_000
server.listen(0, "127.0.0.1", () => console.log(server.address().port))
process.stdin.on("end", () => process.exit(0)).resume()
