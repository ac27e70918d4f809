import { NetworkError as A } from "@oneroute/core"
import { conformanceCases } from "@oneroute/testkit/conformance"
console.log(import.meta.resolve("@oneroute/core"))
