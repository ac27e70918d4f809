import {it,expect} from "vitest"; it("x",()=>expect(1).toBe(1))
