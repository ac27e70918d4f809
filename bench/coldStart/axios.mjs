// Cold start: one send with axios, then exit (the parent times spawn to exit).
import axios from "axios"

await axios.post(
  `${process.argv[2]}/api/public/conversation/text`,
  { from: "2348000000001", to: "2348012345678", message: "Hello :)" },
  { headers: { apiKey: "bench-key" } }
)
process.exit(0)
