// The tutorial's "look at the machine" quotes are real: every block a chapter quotes that shows
// the machine after a move ("after move N …") is, line for line, in the checked output of that
// chapter's example (examples/tutorial/NN-….out), so the text cannot drift from the program.

import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const docs = join(root, "docs", "tutorial");
const examples = join(root, "examples", "tutorial");

/** The fenced blocks of a markdown file that show a move's machine. */
function machineBlocks(md: string): string[][] {
  const blocks: string[][] = [];
  let open: string[] | undefined;
  for (const line of md.split("\n")) {
    if (line.startsWith("```")) {
      if (open === undefined) open = [];
      else {
        blocks.push(open);
        open = undefined;
      }
    } else if (open !== undefined && line.trim() !== "") open.push(line);
  }
  return blocks.filter((b) => b.some((l) => l.trim().startsWith("after move ")));
}

describe("tutorial: the machine as each chapter quotes it", () => {
  const chapters = readdirSync(docs).filter((f) => /^\d\d-.*\.md$/.test(f));
  it("has a quoted machine in every chapter", () => {
    expect(chapters).to.have.length(9);
    for (const c of chapters) expect(machineBlocks(readFileSync(join(docs, c), "utf8")).length, c).to.be.above(0);
  });
  for (const chapter of chapters) {
    it(`${chapter}: every quoted move is in the example's checked output`, () => {
      const nn = chapter.slice(0, 2);
      // A chapter may have several examples: a quoted move is in one of their outputs.
      const outs = readdirSync(examples).filter((f) => f.startsWith(nn) && f.endsWith(".out"));
      expect(outs.length, `an example for ${chapter}`).to.be.above(0);
      const texts = outs.map((o) => readFileSync(join(examples, o), "utf8").split("\n").map((l) => l.trim()));
      for (const block of machineBlocks(readFileSync(join(docs, chapter), "utf8"))) {
        const lines = block.map((l) => l.trim());
        const out = texts.find((t) => t.includes(lines[0] as string));
        expect(out, `"${lines[0]}" in one of ${outs.join(", ")}`).to.not.equal(undefined);
        const at = (out as string[]).indexOf(lines[0] as string);
        expect((out as string[]).slice(at, at + lines.length)).to.deep.equal(lines);
      }
    });
  }
});
